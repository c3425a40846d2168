// One side of the compare view: its training settings (compact), a small observation plane with the data, the
// manifold at the shown epoch, the heatmap of its F and its negatives, and its loss curve.
#pragma once

#include "engine/fieldworker.h"
#include "math/trainer.h"

#include <QWidget>

#include <vector>

class QCheckBox;
class QComboBox;
class QCPGraph;
class QCPItemStraightLine;
class QCustomPlot;
class QDoubleSpinBox;
class QLabel;
class QSpinBox;

namespace ebm {

class ObservationPlane;

class CompareSide : public QWidget
{
    Q_OBJECT
public:
    //! \a index 0 is run A (left), 1 is run B (right): its name and colour.
    explicit CompareSide(int index, QWidget *parent = nullptr);

    //! Shows \a config in the controls (without emitting configEdited).
    void setConfig(const TrainingConfig &config);
    //! The configuration the controls describe (init and latents as last given to setConfig).
    TrainingConfig config() const { return m_config; }
    void setData(const std::vector<Vec2> &data);
    //! Draws the run: the loss curve up to \a lastEpoch (the epoch both sides have), the plane and the read-out at
    //! \a shownEpoch (clamped to the trace: a diverged run shows its last finite state), with the negatives of
    //! that epoch's loss.
    void showRun(const std::vector<TracePoint> &trace, const std::vector<PairReport> &pairs, int lastEpoch,
                 int shownEpoch, const QString &divergence);
    void setHeatmapVisible(bool on);

    ObservationPlane *plane() const { return m_plane; }
    QCustomPlot *lossPlot() const { return m_lossPlot; }
    //! The w the plane shows now, and the epoch it belongs to (-1 before any).
    EllipseParams shownW() const { return m_shownW; }
    int shownEpoch() const { return m_shownEpoch; }
    //! The heatmap on the plane was computed for these parameters (for tests: it follows the shown w).
    const FieldJob &displayedJob() const { return m_displayedJob; }
    QVector<double> lossCurve() const;

signals:
    //! The person changed this side's settings.
    void configEdited(const ebm::TrainingConfig &config);
    //! A field for the shown w is on the plane.
    void fieldApplied();

protected:
    void changeEvent(QEvent *event) override;

private:
    QWidget *buildControls();
    void fitLossPlotHeight();
    void onControlsChanged();
    void updateEnabled();
    void requestField();
    void applyField(const ebm::FieldResult &result);
    //! The plane's layers and the title, for the current configuration.
    void applyLayers();

    int m_index;
    TrainingConfig m_config;
    std::vector<Vec2> m_data;
    EllipseParams m_shownW{1.0, 1.0};
    int m_shownEpoch = -1;
    int m_drawnEpochs = 0; //!< rows of the trace in the loss curve
    bool m_heatmap = true;
    FieldWorker *m_fields;
    FieldJob m_displayedJob;
    quint64 m_shownGeneration = 0;

    QLabel *m_title;
    QComboBox *m_loss;
    QCheckBox *m_zeroTemperature;
    QDoubleSpinBox *m_beta;
    QDoubleSpinBox *m_learningRate;
    QDoubleSpinBox *m_margin;
    QComboBox *m_strategy;
    QSpinBox *m_negativeCount;
    ObservationPlane *m_plane;
    QCustomPlot *m_lossPlot;
    QCPGraph *m_lossGraph;
    QCPGraph *m_lossMarker;
    QCPItemStraightLine *m_epochLine;
    QLabel *m_readout;
};

} // namespace ebm
