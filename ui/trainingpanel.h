// The training panel: the loss and its settings, play / pause / step / reset and speed, the loss curve, the loss
// landscape L(w1, w2) with the path of w over the epochs, and a timeline to scrub back through the run.
#pragma once

#include "math/landscaperange.h"
#include "math/losslandscape.h"

#include "engine/trainingworker.h"
#include "math/trainer.h"

#include <QFutureWatcher>
#include <QString>
#include <QVector>
#include <QWidget>

#include <atomic>
#include <memory>
#include <vector>

class QCheckBox;
class QComboBox;
class QCPColorMap;
class QCPColorScale;
class QCPCurve;
class QCPGraph;
class QCPItemStraightLine;
class QCustomPlot;
class QDoubleSpinBox;
class QLabel;
class QLayout;
class QPushButton;
class QSlider;
class QSpinBox;
class QTimer;

namespace ebm {

class TrainingPanel : public QWidget
{
    Q_OBJECT
public:
    explicit TrainingPanel(QWidget *parent = nullptr);
    //! Cancels the landscape in progress and waits for it (a cancelled grid stops within one evaluation).
    ~TrainingPanel() override;

    //! The data to train on (the window's data set) and the model's latents; resets the run to `start`.
    void setProblem(const std::vector<Vec2> &data, const LatentSpec &latents, const EllipseParams &start);
    //! A saved run back on screen (ui/trainingpanelsession.cpp): the controls show \a config, the loss curve, path
    //! and timeline show \a trace at its last epoch, and play or step continue from there (TrainingRun::resume).
    //! Emits no parametersChanged: the window restores its own w.
    void restoreRun(const std::vector<Vec2> &data, const TrainingConfig &config, const std::vector<TracePoint> &trace);

    TrainingWorker *worker() const;    //!< for tests
    int epochCount() const;            //!< epochs in the trace so far
    QVector<double> lossCurve() const; //!< the losses drawn, epoch order

    // For tests and the window: what is on screen now.
    const std::vector<TracePoint> &trace() const { return m_trace; }
    TrainingConfig config() const { return m_config; }
    int shownEpoch() const; //!< the epoch the timeline shows (the newest while following the run)
    bool isPlaying() const { return m_playing; }
    //! The worker's newest reported state (Paused once a pause has completed the epoch in progress).
    TrainingState runState() const { return m_runState; }
    bool hasLandscape() const;               //!< true once a landscape for the current settings is drawn
    QVector<double> landscapeValues() const; //!< the drawn L values, w2 outer, w1 inner (empty before the first)
    QCustomPlot *lossPlot() const { return m_lossPlot; }
    QCustomPlot *landscapePlot() const { return m_landscapePlot; }
    //! The square of w the landscape covers: landscapeRange(data, path) of math/landscaperange.h, refitted when
    //! the path leaves it and on a new problem or reset; scrubbing never changes it.
    WRange landscapeRange() const { return m_landscapeRange; }
    //! The loss that is selected uses the margin m (hinge, simple, square-square): the plane draws F = m.
    bool usesMargin() const;

    //! The w-range of the landscape before any problem is set, and its grid (41 x 41 cells).
    static constexpr double kWLower = 0.0, kWUpper = 3.0;
    static constexpr int kLandscapeCells = 41;

public slots:
    //! Play when paused, pause when playing (the Space key while the panel has focus).
    void togglePlay();
    void stepOnce();
    void resetRun();
    //! The margin m from elsewhere (the window's one margin, LabState::margin): shown and trained with, without
    //! emitting marginEdited.
    void setMargin(double margin);

signals:
    //! The w the plane should show: the newest while training, or the scrubbed epoch's.
    void parametersChanged(const ebm::EllipseParams &w);
    //! The current pairs (data point, negative) for drawing pulls and pushes (empty for the energy loss).
    void pairsChanged(const std::vector<ebm::Vec2> &data, const std::vector<ebm::Vec2> &negatives);
    //! A message for the status bar (divergence etc.)
    void message(const QString &text);
    //! A landscape for the current settings was drawn.
    void landscapeUpdated();
    //! The person changed the margin m in this panel (the window makes it the one margin of the lab).
    void marginEdited(double margin);
    //! The training configuration changed (loss, beta, margin, eta, negatives).
    void configChanged();

private:
    QWidget *buildControls();
    void buildLossPlot();
    void buildLandscapePlot();
    QLayout *buildTimeline();
    void onProgress(const ebm::TrainingProgress &progress);
    void onTrainingFailed(quint64 generation, const QString &text);
    void onTimelineMoved(int epoch);
    void onSettingsChanged();
    void onLandscapeFinished();
    void updateEnabledControls();
    void updatePlayButton();
    void applySpeed();
    void showEpoch(int epoch, bool emitParameters);
    void syncTimeline();
    void startLandscape();
    void replayTick();
    void clearTrace();
    //! Refits the landscape's w-range to the data and the trace; recomputes the landscape if it changed.
    void fitLandscapeRange();
    void showLandscapeRange();

    TrainingWorker *m_worker;
    std::vector<Vec2> m_data;
    TrainingConfig m_config;
    int m_epochLimit = 1000;
    std::vector<TracePoint> m_trace;
    quint64 m_traceGeneration = 0;
    bool m_playing = false;
    TrainingState m_runState = TrainingState::Paused;
    bool m_following = true; //!< the timeline shows the newest epoch
    bool m_haveProblem = false;

    // The landscape: each request gets a token; results of older tokens are dropped.
    QFutureWatcher<LossLandscape> m_landscapeWatcher;
    std::shared_ptr<std::atomic<bool>> m_landscapeCancel;
    quint64 m_landscapeToken = 0;
    quint64 m_landscapeShown = 0;
    bool m_landscapeWanted = false; //!< a newer request waits for the running one to stop
    QVector<double> m_landscapeValues;
    WRange m_landscapeRange{kWLower, kWUpper};

    // Controls.
    QComboBox *m_loss;
    QDoubleSpinBox *m_beta;
    QCheckBox *m_zeroTemperature;
    QDoubleSpinBox *m_learningRate;
    QDoubleSpinBox *m_margin;
    QComboBox *m_strategy;
    QSpinBox *m_negativeCount;
    QSpinBox *m_epochs;
    QPushButton *m_play;
    QPushButton *m_step;
    QPushButton *m_reset;
    QPushButton *m_replay;
    QSlider *m_speed;
    QLabel *m_speedLabel;
    QSlider *m_timeline;
    QLabel *m_timelineLabel;
    QLabel *m_readout;
    QTimer *m_replayTimer;

    // Plots.
    QCustomPlot *m_lossPlot;
    QCPGraph *m_lossGraph;
    QCPGraph *m_lossMarker;
    QCPItemStraightLine *m_lossEpochLine;
    QCustomPlot *m_landscapePlot;
    QCPColorMap *m_colorMap;
    QCPColorScale *m_colorScale;
    QCPCurve *m_path;
    QCPGraph *m_startMarker;
    QCPGraph *m_currentMarker;
};

} // namespace ebm
