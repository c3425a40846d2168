// The main window: assembles the panels, owns the model state and the model thread.
#pragma once

#include "engine/fieldworker.h"
#include "math/dataset.h"

#include <QMainWindow>

#include <vector>

class QLabel;

namespace ebm {

class ObservationPlane;

class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    explicit MainWindow(QWidget *parent = nullptr);

    ObservationPlane *plane() const { return m_plane; }
    //! The job whose field is on screen (valid after fieldApplied).
    const FieldJob &displayedJob() const { return m_displayedJob; }
    const std::vector<Vec2> &data() const { return m_data; }

    //! Recomputes the heatmap for \a job in the model thread; the newest call wins.
    void requestField(const FieldJob &job);

signals:
    //! The field of \a generation is in the heatmap (the plot has its data; a replot is queued).
    void fieldApplied(quint64 generation);

private:
    void applyField(const ebm::FieldResult &result);
    void coverRange(const QRectF &range);
    void showFailure(quint64 generation, const QString &message);
    static QString fieldLabel(const FieldJob &job);

    ObservationPlane *m_plane;
    FieldWorker *m_worker;
    QLabel *m_status;
    FieldJob m_job; //!< the newest request
    FieldJob m_displayedJob;
    std::vector<Vec2> m_data;
};

} // namespace ebm
