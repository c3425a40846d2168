// The main window: assembles the panels, owns the lab state and the model thread, and routes changes
// one way: a control edits the state -> the engine computes -> the views show the result.
#pragma once

#include "engine/fieldworker.h"
#include "exporter.h"
#include "io/session.h"
#include "labstate.h"
#include "lessons.h"
#include "theme.h"

#include "math/section.h"

#include <QFutureWatcher>
#include <QMainWindow>
#include <QPointer>

#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

class QLabel;
class QAction;
class QMenu;
class QMessageBox;
class QStackedWidget;
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

class CompareView;
class FactorGraphPanel;
class FamilyLatentPanel;
class ModelControls;
struct SectionLine;
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
    ~MainWindow() override; //!< stops a section still being computed

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
    //! Light or dark: the palette and every plot's background, axes and text (View > Theme, kept in the settings).
    void setTheme(Theme theme);
    Theme theme() const { return m_theme; }
    //! Window layout and last parameters from QSettings (main() calls these; tests start clean).
    void restoreSettings();
    void saveSettings() const;
    const std::vector<Lesson> &lessons() const { return m_lessons; }

    ObservationPlane *plane() const { return m_plane; }
    LatentPanel *latentPanel() const { return m_latentPanel; }
    SectionPanel *sectionPanel() const { return m_sectionPanel; }
    ParameterPanel *parameterPanel() const { return m_parameters; }
    TrainingPanel *trainingPanel() const { return m_training; }
    //! The "Energy graph" dock's panel: the model's computation graph, the displayed field highlighted.
    FactorGraphPanel *graphPanel() const { return m_graphPanel; }
    //! The model selector and K-means / sparse-coding controls (issue #7), and their latent panel.
    ModelControls *modelControls() const { return m_modelControls; }
    FamilyLatentPanel *familyLatentPanel() const { return m_familyLatent; }
    //! Opens (creating it at the first call) the compare-training window on the window's data; returns it.
    CompareView *showCompareView();
    //! The compare-training window, or nullptr before it was first opened.
    CompareView *compareView() const { return m_compare; }
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

    //! Shows the data set in the "y1,y2" CSV at \a path and trains on it; an error message (and nothing changed) or
    //! empty. File > Open asks for the path and shows the message.
    QString loadDataset(const QString &path);

    //! Recomputes the heatmap for \a job in the model thread; the newest call wins.
    void requestField(const FieldJob &job);

    // Sessions (ui/mainwindowsession.cpp).
    //! Everything on screen as a session: state, data, the plane's view, the lesson, the training run.
    Session currentSession() const;
    //! Puts \a session on screen (state, data, view, lesson banner, training run); the undo stack starts afresh.
    void applySession(const Session &session);
    //! Reads and applies a session file; on any problem nothing changes and reportFileProblem says why.
    bool openSession(const QString &path);
    //! Writes currentSession() atomically to \a path; it becomes the window's file.
    bool saveSession(const QString &path);
    //! A dropped or recent file: a session (.json) or a data set (.csv).
    bool openFile(const QString &path);
    //! Replaces the data by a "y1,y2" CSV file (nothing changes if it is malformed).
    bool openDataFile(const QString &path);
    QString sessionPath() const { return m_sessionPath; }
    //! The newest file problem reported (empty if none yet): what the status bar and the warning showed.
    QString lastError() const { return m_lastError; }
    //! The recent sessions, newest first; entries whose file is gone are dropped (with a status message).
    QStringList recentSessions();
    static constexpr int kMaxRecentSessions = 8;

protected:
    void closeEvent(QCloseEvent *event) override;
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dropEvent(QDropEvent *event) override;

signals:
    //! The field of \a generation is in the heatmap (the plot has its data; a replot is queued).
    void fieldApplied(quint64 generation);
    //! A file could not be opened or saved; shown in the status bar and a non-modal warning.
    void fileProblem(const QString &message);

private:
    void buildMenus();
    void applyField(const ebm::FieldResult &result);
    void showFailure(quint64 generation, const QString &message);
    void coverRange(const QRectF &range);
    void updateObservationViews();
    void updateSection();
    void showSection(const ebm::SectionProfile &profile, double beta, const QString &label);
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
    void buildSessionMenu(QMenu *file);
    void openSessionDialog();
    void saveSessionInPlace();
    void saveSessionAs();
    void rememberRecent(const QString &path);
    void rebuildRecentMenu();
    void reportFileProblem(const QString &message);
    void updateTitle();
    //! The plane's layers: the state's, plus the level F = m while the training loss has a margin.
    void applyShownLayers(const LabState &state, bool force);
    PlaneLayers shownLayers(const LabState &state) const;
    FieldJob jobFor(const LabState &state) const { return jobFor(state, m_visible); }
    //! the field job of \a state over the rectangle \a visible of the plane
    FieldJob jobFor(const LabState &state, const QRectF &visible) const;
    void fillVisibleField();
    // The model family (ui/mainwindowfamily.cpp).
    void connectFamily();
    LabState withFamilyParameters(const LabState &requested) const;
    void adjustFamilyJob(FieldJob &job, const LabState &state) const;
    void updateFamilyViews();
    void updateFamilySection(const SectionLine &line, const std::vector<double> &betas, int samples);
    void familyStep();
    static QString familyFieldLabel(const FieldJob &job);
    static QString fieldLabel(const FieldJob &job);

    LabState m_state;
    std::vector<Lesson> m_lessons;
    ObservationPlane *m_plane;
    LatentPanel *m_latentPanel;
    SectionPanel *m_sectionPanel;
    ParameterPanel *m_parameters;
    TrainingPanel *m_training;
    FactorGraphPanel *m_graphPanel;
    ModelControls *m_modelControls;
    FamilyLatentPanel *m_familyLatent;
    QStackedWidget *m_latentStack;
    std::optional<LabState> m_dragStart; //!< the state when a centroid drag began
    CompareView *m_compare = nullptr;
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
    Theme m_theme = Theme::Light;
    class QActionGroup *m_themeActions = nullptr;
    QRect m_normalGeometry;
    class QDockWidget *m_parametersDock = nullptr;
    bool m_persistent = false;
    bool m_closing = false; //!< a close arrived: a running sweep export stops at the next frame
    bool m_applied = false;
    bool m_trainingProblemSet = false; //!< false until the first setState has pushed everything to the views
    std::vector<Vec2> m_data;
    // The section along the line: a continuous latent is computed off the GUI thread (quadrature per sample),
    // one at a time; a request made meanwhile waits for it and only the newest is computed.
    QFutureWatcher<SectionProfile> *m_sectionWatcher = nullptr;
    bool m_sectionWanted = false;
    std::shared_ptr<std::atomic<bool>> m_sectionCancel = std::make_shared<std::atomic<bool>>(false);
    bool m_customData = false; //!< m_data came from a file: a view change must not regenerate it from the spec
    bool m_dataEdited = false; //!< data replaced since the last save or open (not an undo step)
    QString m_sessionPath;
    QString m_lastError;
    QMenu *m_recentMenu = nullptr;
    QPointer<QMessageBox> m_warning;
    std::vector<std::pair<QAction *, bool PlaneLayers::*>> m_layerActions;
    PlaneLayers m_shownLayers;
};

} // namespace ebm
