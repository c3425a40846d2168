// The main window: assembles the panels, owns the lab state and the model thread, and routes changes
// one way: a control edits the state -> the engine computes -> the views show the result.
#pragma once

#include "engine/fieldworker.h"
#include "exporter.h"
#include "labstate.h"
#include "lessons.h"

#include <QMainWindow>

#include <functional>
#include <utility>
#include <vector>

class QLabel;
class QAction;
class QUndoStack;

namespace ebm {

//! A beta sweep as numbered PNG frames (File > Export, and `ebmlab render --sweep-beta`).
struct BetaSweep
{
    int frames = 60;
    double fromBeta = 0.01;    //!< beta of the first frame; the frames are evenly spaced in log beta
    double toBeta = 100.0;     //!< beta of the last frame
    QWidget *target = nullptr; //!< this window or one of its panels; the plane when null
    ExportOptions options;     //!< an empty size: the target's own; the caption text is each frame's provenance
    bool animation = true;     //!< also beta-sweep.gif in the directory when ffmpeg is installed
    //! Called once each frame's state is set, before it is drawn (e.g. to wait for the model thread's contours);
    //! returns an error message or empty.
    std::function<QString()> settle;
};

class LatentPanel;
class ObservationPlane;
class ParameterPanel;
class SectionPanel;
class TrainingPanel;

class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    explicit MainWindow(QWidget *parent = nullptr);

    const LabState &state() const { return m_state; }
    //! Applies \a state everywhere: controls, plane, panels; redoes only what the change touches.
    void setState(const LabState &state);
    //! A change made by the person: applied through the undo stack (Ctrl+Z takes it back).
    void editState(const LabState &state);
    void applyLesson(int index);
    int currentLesson() const { return m_currentLesson; }
    QUndoStack *undoStack() const { return m_undo; }
    //! F11: full screen, larger fonts, markers and lines.
    void setPresentationMode(bool on);
    bool presentationMode() const { return m_presenting; }
    //! Window layout and last parameters from QSettings (main() calls these; tests start clean).
    void restoreSettings();
    void saveSettings() const;
    const std::vector<Lesson> &lessons() const { return m_lessons; }

    ObservationPlane *plane() const { return m_plane; }
    LatentPanel *latentPanel() const { return m_latentPanel; }
    SectionPanel *sectionPanel() const { return m_sectionPanel; }
    ParameterPanel *parameterPanel() const { return m_parameters; }
    TrainingPanel *trainingPanel() const { return m_training; }
    //! The job whose field is on screen (valid after fieldApplied).
    const FieldJob &displayedJob() const { return m_displayedJob; }
    const std::vector<Vec2> &data() const { return m_data; }
    //! Shows and trains on \a points instead of the generated data set (until the data-set settings change).
    void setData(const std::vector<Vec2> &points);
    //! True when the heatmap shows the field of the current state over what the plane shows now.
    bool fieldIsCurrent() const;
    QString lessonText() const;

    //! Writes \a target (this window or one of its panels) as PNG, PDF or SVG; an error message or empty.
    QString exportFigure(QWidget *target, const QString &path, ExportOptions options);
    //! Writes frames of the plane for beta from \a fromBeta to \a toBeta (log-spaced) into \a directory,
    //! and an animated GIF when ffmpeg is installed; the state is restored afterwards.
    QString exportBetaSweep(const QString &directory, int frames, double fromBeta, double toBeta);
    //! The same with every choice of \a sweep (its frames, range, target, size, animation, a wait per frame).
    QString exportBetaSweep(const QString &directory, const BetaSweep &sweep);
    const Eigen::MatrixXd &displayedValues() const { return m_displayedValues; }

    //! Recomputes the heatmap for \a job in the model thread; the newest call wins.
    void requestField(const FieldJob &job);

protected:
    void closeEvent(QCloseEvent *event) override;

signals:
    //! The field of \a generation is in the heatmap (the plot has its data; a replot is queued).
    void fieldApplied(quint64 generation);

private:
    void buildMenus();
    void applyField(const ebm::FieldResult &result);
    void showFailure(quint64 generation, const QString &message);
    void coverRange(const QRectF &range);
    void updateObservationViews();
    void updateSection();
    void stepBeta(double factor);
    void showFormulas();
    void showExportDialog();
    void exportFieldCsv();
    void exportDataCsv();
    void exportPyTorchScript();
    void exportBetaSweepFrames();
    void reportExport(const QString &error, const QString &path);
    void regenerateData(const LabState &state);
    void openDataset();
    void showCursor(const Vec2 &y, double value);
    void showTrainingPairs(const std::vector<Vec2> &data, const std::vector<Vec2> &negatives);
    FieldJob jobFor(const LabState &state) const;
    static QString fieldLabel(const FieldJob &job);

    LabState m_state;
    std::vector<Lesson> m_lessons;
    ObservationPlane *m_plane;
    LatentPanel *m_latentPanel;
    SectionPanel *m_sectionPanel;
    ParameterPanel *m_parameters;
    TrainingPanel *m_training;
    FieldWorker *m_worker;
    QLabel *m_lessonBanner;
    QLabel *m_cursorLabel;
    QLabel *m_timingLabel;
    QRectF m_visible{-3.0, -3.0, 6.0, 6.0};
    FieldJob m_requestedJob;
    bool m_hasRequested = false;
    FieldJob m_displayedJob;
    Eigen::MatrixXd m_displayedValues;
    quint64 m_shownGeneration = 0;
    QUndoStack *m_undo;
    int m_currentLesson = -1;
    bool m_presenting = false;
    QRect m_normalGeometry;
    class QDockWidget *m_parametersDock = nullptr;
    bool m_persistent = false;
    bool m_applied = false;
    bool m_trainingProblemSet = false; //!< false until the first setState has pushed everything to the views
    std::vector<Vec2> m_data;
    std::vector<std::pair<QAction *, bool PlaneLayers::*>> m_layerActions;
};

} // namespace ebm
