#include "mainwindow.h"

#include "compareview.h"
#include "factorgraphpanel.h"
#include "familylatentpanel.h"
#include "io/csvio.h"
#include "labsettings.h"
#include "latentpanel.h"
#include "math/section.h"
#include "modelcontrols.h"
#include "observationplane.h"
#include "parameterpanel.h"
#include "plotstyle.h"
#include "sectionpanel.h"
#include "statecommand.h"
#include "trainingarrows.h"
#include "trainingpanel.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDockWidget>
#include <QFileDialog>
#include <QKeySequence>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QScreen>
#include <QScrollArea>
#include <QSettings>
#include <QSignalBlocker>
#include <QSplitter>
#include <QStackedWidget>
#include <QStatusBar>
#include <QUndoStack>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace ebm {

namespace {

constexpr int kArrowsAcross = 17;
constexpr int kContourLevels = 12;
constexpr double kPresentationScale = 1.5; // fonts, lines and markers in presentation mode
const QString kBannerStyle =
    QStringLiteral("QLabel { background: #1f2333; color: white; padding: 8px 12px; font-size: %1pt; }");

QString formatBeta(double beta)
{
    return std::isinf(beta) ? QStringLiteral("∞") : QString::number(beta, 'g', 4);
}

} // namespace

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent)
    , m_lessons(lectureLessons())
    , m_plane(new ObservationPlane)
    , m_latentPanel(new LatentPanel)
    , m_sectionPanel(new SectionPanel)
    , m_parameters(new ParameterPanel)
    , m_training(new TrainingPanel)
    , m_graphPanel(new FactorGraphPanel)
    , m_modelControls(new ModelControls)
    , m_familyLatent(new FamilyLatentPanel)
    , m_latentStack(new QStackedWidget)
    , m_worker(new FieldWorker(this))
    , m_lessonBanner(new QLabel)
    , m_cursorLabel(new QLabel)
    , m_timingLabel(new QLabel)
    , m_undo(new QUndoStack(this))
{

    m_lessonBanner->setWordWrap(true);
    m_lessonBanner->setVisible(false);
    m_lessonBanner->setStyleSheet(kBannerStyle.arg(15));
    auto *left = new QWidget;
    auto *leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    leftLayout->setSpacing(0);
    leftLayout->addWidget(m_lessonBanner);
    leftLayout->addWidget(m_plane, 1);

    auto *panels = new QSplitter(Qt::Vertical);
    m_latentStack->addWidget(m_latentPanel); // the ellipse's, or K-means' / sparse coding's
    m_latentStack->addWidget(m_familyLatent);
    panels->addWidget(m_latentStack);
    panels->addWidget(m_sectionPanel);
    auto *central = new QSplitter(Qt::Horizontal);
    central->addWidget(left);
    central->addWidget(panels);
    central->setStretchFactor(0, 3);
    central->setStretchFactor(1, 2);
    central->setSizes({820, 560});
    setCentralWidget(central);

    auto *scroll = new QScrollArea;
    auto *controls = new QWidget; // the model selector above the ellipse's parameters
    auto *controlsLayout = new QVBoxLayout(controls);
    controlsLayout->setContentsMargins(0, 0, 0, 0);
    controlsLayout->addWidget(m_modelControls);
    controlsLayout->addWidget(m_parameters);
    scroll->setWidget(controls);
    scroll->setWidgetResizable(true);
    scroll->setMinimumWidth(m_parameters->sizeHint().width() + 24);
    auto *dock = new QDockWidget(tr("Parameters"));
    dock->setObjectName(QStringLiteral("parameters"));
    dock->setWidget(scroll);
    dock->setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetFloatable);
    addDockWidget(Qt::LeftDockWidgetArea, dock);
    m_parametersDock = dock;
    auto *trainingDock = new QDockWidget(tr("Training"));
    trainingDock->setObjectName(QStringLiteral("training"));
    auto *trainingScroll = new QScrollArea; // its controls must not make the dock (and both tabs) wide
    trainingScroll->setWidget(m_training);
    trainingScroll->setWidgetResizable(true);
    trainingDock->setWidget(trainingScroll);
    trainingDock->setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetFloatable);
    addDockWidget(Qt::LeftDockWidgetArea, trainingDock);
    tabifyDockWidget(dock, trainingDock);
    dock->raise();
    resizeDocks({dock}, {scroll->minimumWidth()}, Qt::Horizontal);
    // The energy computation graph, below the controls: it stays in presentation mode, where they hide.
    auto *graphDock = new QDockWidget(tr("Energy graph"));
    graphDock->setObjectName(QStringLiteral("energyGraph"));
    graphDock->setWidget(m_graphPanel);
    graphDock->setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetFloatable |
                           QDockWidget::DockWidgetClosable);
    addDockWidget(Qt::LeftDockWidgetArea, graphDock, Qt::Vertical);
    // Training moves w live; it is the run's doing, not an edit to undo step by step.
    connect(m_training, &TrainingPanel::parametersChanged, this, [this](const EllipseParams &w) {
        // Setting up a problem reports its start; the plane keeps its model until a run actually moves.
        if (!m_training->isPlaying() && m_training->epochCount() <= 1)
            return;
        LabState s = m_state;
        s.w = w;
        setState(s);
    });
    connect(m_training, &TrainingPanel::pairsChanged, this, &MainWindow::showTrainingPairs);
    // One margin m in the lab (LabState::margin): the training panel edits it like Parameters does, and a margin
    // loss draws its level F = m on the plane.
    connect(m_training, &TrainingPanel::marginEdited, this, [this](double margin) {
        LabState s = m_state;
        s.margin = margin;
        editState(s);
    });
    connect(m_training, &TrainingPanel::configChanged, this, [this] {
        applyShownLayers(m_state, false);
        const FieldJob job = jobFor(m_state);
        if (!(job == m_requestedJob))
            requestField(job);
    });
    connect(m_training, &TrainingPanel::message, this,
            [this](const QString &text) { statusBar()->showMessage(text, 8000); });

    statusBar()->addWidget(m_cursorLabel, 1);
    statusBar()->addPermanentWidget(m_timingLabel);
    resize(1600, 950);

    connect(m_worker, &FieldWorker::fieldReady, this, &MainWindow::applyField);
    connect(m_worker, &FieldWorker::fieldFailed, this, &MainWindow::showFailure);
    connect(m_plane, &ObservationPlane::visibleRangeChanged, this, &MainWindow::coverRange);
    connect(m_plane, &ObservationPlane::observationDragged, this, [this](const Vec2 &y) {
        LabState s = m_state;
        s.observation = y;
        editState(s);
    });
    connect(m_plane, &ObservationPlane::sectionDragged, this, [this](double y1) {
        LabState s = m_state;
        s.sectionY1 = y1;
        editState(s);
    });
    connect(m_plane, &ObservationPlane::cursorMoved, this, &MainWindow::showCursor);
    connect(m_parameters, &ParameterPanel::stateEdited, this, &MainWindow::editState);
    connect(m_parameters, &ParameterPanel::regenerateRequested, this, &MainWindow::regenerateData);
    connectFamily();

    buildMenus();
    setAcceptDrops(true); // a session or a data set dropped anywhere on the window
    connect(m_undo, &QUndoStack::cleanChanged, this, &MainWindow::updateTitle);
    updateTitle();
    m_visible = m_plane->visibleRange();
    setState(m_state);
    m_plane->setFocus();
}

void MainWindow::editState(const LabState &state)
{
    if (state == m_state)
        return;
    m_undo->push(new StateCommand(m_state, state, [this](const LabState &s) { setState(s); }));
}

void MainWindow::setState(const LabState &requested)
{
    const LabState state = withFamilyParameters(requested); // K-means' centroids, the dictionary: drawn if not yet
    const LabState old = m_state;
    const bool all = !m_applied;
    m_applied = true;
    m_state = state;
    m_parameters->setState(state);
    m_modelControls->setState(state);
    m_training->setMargin(state.margin); // nothing happens when it has it already
    applyShownLayers(state, all);
    if (all || state.layers != old.layers) {
        for (const auto &[action, member] : m_layerActions) {
            const QSignalBlocker blocker(action);
            action->setChecked(state.layers.*member);
        }
    }
    if (all || state.colorMap != old.colorMap)
        m_plane->setColorMap(state.colorMap);
    if (all || state.sectionY1 != old.sectionY1)
        m_plane->setSectionY1(state.sectionY1);
    if ((all && !m_customData) || state.dataset != old.dataset) { // data from a file stay until the spec changes
        m_customData = false;
        m_data = ellipseSamples(state.dataset);
        m_plane->setData(m_data);
    }
    // A new data set or latent set is a new training problem, started from the lecture's w = (1, 1).
    // (Not on a mere view change: panning must not restart a run.)
    if (!m_trainingProblemSet || state.dataset != old.dataset || !(state.latents() == old.latents())) {
        m_trainingProblemSet = true;
        m_training->setProblem(m_data, state.latents(), EllipseParams{1.0, 1.0});
        if (m_compare)
            m_compare->setProblem(m_data, state.latents(), EllipseParams{1.0, 1.0});
    }
    updateObservationViews();     // cheap, and all that a drag of y changes
    LabState sectionInputs = old; // the section depends on everything but the observation
    sectionInputs.observation = state.observation;
    if (all || !(sectionInputs == state))
        updateSection();
    const FieldJob job = jobFor(state);
    // The graph highlights the term of the field the plane computes.
    m_graphPanel->setModel(state.modelKind);
    m_graphPanel->setField(job.request.kind, job.request.beta);
    m_graphPanel->setZStar(job.request.z);
    if (!m_hasRequested || !(job == m_requestedJob))
        requestField(job);
}

PlaneLayers MainWindow::shownLayers(const LabState &state) const
{
    PlaneLayers layers = state.layers;
    layers.marginLevel = layers.marginLevel || m_training->usesMargin();
    return layers;
}

void MainWindow::applyShownLayers(const LabState &state, bool force)
{
    const PlaneLayers layers = shownLayers(state);
    if (!force && layers == m_shownLayers)
        return;
    m_shownLayers = layers;
    m_plane->setLayers(layers);
}

FieldJob MainWindow::jobFor(const LabState &state, const QRectF &visible) const
{
    FieldJob job;
    job.w = state.w;
    job.latents = state.latents();
    job.request = {state.field, state.effectiveBeta(), state.zStar};
    // Square cells over everything the axes show, `resolution` along the longer side.
    const double cell = std::max(visible.width(), visible.height()) / state.resolution;
    job.grid = Grid{visible.left(),
                    visible.right(),
                    visible.top(),
                    visible.bottom(),
                    std::max(2, static_cast<int>(std::lround(visible.width() / cell)) + 1),
                    std::max(2, static_cast<int>(std::lround(visible.height() / cell)) + 1)};
    if (state.layers.contours)
        job.contourCount = kContourLevels;
    job.marginLine = shownLayers(state).marginLevel && state.field != FieldKind::Posterior;
    job.margin = state.margin;
    if (state.layers.arrows) {
        const double spacing = std::max(visible.width(), visible.height()) / kArrowsAcross;
        const int nx = std::max(2, static_cast<int>(visible.width() / spacing));
        const int ny = std::max(2, static_cast<int>(visible.height() / spacing));
        const double mx = 0.5 * (visible.width() - (nx - 1) * spacing);
        const double my = 0.5 * (visible.height() - (ny - 1) * spacing);
        job.arrowGrid =
            Grid{visible.left() + mx, visible.right() - mx, visible.top() + my, visible.bottom() - my, nx, ny};
    }
    if (state.modelKind != ModelKind::Ellipse)
        adjustFamilyJob(job, state);
    return job;
}

void MainWindow::requestField(const FieldJob &job)
{
    m_requestedJob = job;
    m_hasRequested = true;
    m_timingLabel->setText(tr("computing %1 …").arg(fieldLabel(job)));
    m_worker->submit(job);
}

void MainWindow::coverRange(const QRectF &range)
{
    m_visible = range;
    m_applied = false; // the view changed: the section and the field follow it
    setState(m_state);
}

void MainWindow::applyField(const FieldResult &result)
{
    // Never backwards: a result older than the one on screen is dropped. A superseded one that is still newer
    // is an intermediate frame of a sweep; the newest request's own result follows it.
    if (result.generation <= m_shownGeneration)
        return;
    m_shownGeneration = result.generation;
    m_displayedJob = result.job;
    m_displayedValues = result.values;
    m_plane->setProperty("fieldLabel", fieldLabel(result.job));
    m_plane->setField(result.job.grid, result.values, fieldLabel(result.job));
    m_plane->setArrows(result.gradients);
    m_plane->setContours(result.contours, result.marginContour);
    m_timingLabel->setText(
        tr("%1 × %2 field in %3 ms").arg(result.job.grid.nx).arg(result.job.grid.ny).arg(result.elapsedMs, 0, 'f', 1));
    emit fieldApplied(result.generation);
}

void MainWindow::showFailure(quint64 generation, const QString &message)
{
    if (generation == m_worker->latestGeneration())
        m_timingLabel->setText(tr("Cannot compute the field: %1").arg(message));
}

void MainWindow::updateObservationViews()
{
    // Cheap (one inference and a few hundred energies): done right here, so the panel follows the pointer.
    const EllipseEbm model = m_state.model();
    if (m_state.modelKind == ModelKind::Ellipse) {
        m_plane->setModelPicture(model, m_state.observation, m_state.effectiveBeta(), m_state.latentsByPosterior);
        m_latentPanel->setState(model, m_state.observation, m_state.effectiveBeta());
    }
    updateFamilyViews();
}

void MainWindow::stepBeta(double factor)
{
    LabState s = m_state;
    s.zeroTemperature = false;
    s.beta = std::clamp(s.beta * factor, 1e-3, 1e3);
    editState(s);
}

void MainWindow::applyLesson(int index)
{
    if (index < 0 || index >= static_cast<int>(m_lessons.size()))
        return;
    const Lesson &lesson = m_lessons[static_cast<size_t>(index)];
    LabState s = m_state;
    lesson.setUp(s, m_data);
    m_currentLesson = index;
    m_lessonBanner->setText(QStringLiteral("<b>%1</b> — %2").arg(lesson.title, lesson.explanation));
    m_lessonBanner->setVisible(true);
    m_plane->resetView();
    editState(s);
    if (lesson.compare)
        showCompareView()->applyPreset(*lesson.compare);
}

CompareView *MainWindow::showCompareView()
{
    if (!m_compare) {
        m_compare = new CompareView(this);
        m_compare->setWindowFlag(Qt::Window); // a window of its own: on a projector it takes the whole screen
        if (m_presenting) {
            QFont f = m_compare->font();
            f.setPointSizeF(f.pointSizeF() * kPresentationScale);
            m_compare->setFont(f);
            plotstyle::scaleWidgetTree(m_compare, kPresentationScale);
        }
        applyTheme(m_compare, Theme::Light, m_theme); // built light; a child, so later theme changes reach it
        const QRect available = screen()->availableGeometry();
        m_compare->resize(std::min(1860, available.width()), std::min(1000, available.height()));
        m_compare->setProblem(m_data, m_state.latents(), EllipseParams{1.0, 1.0});
    }
    if (m_presenting)
        m_compare->showFullScreen();
    else
        m_compare->show();
    m_compare->raise();
    m_compare->activateWindow();
    return m_compare;
}

QString MainWindow::lessonText() const
{
    return m_lessonBanner->isVisible() ? m_lessonBanner->text() : QString();
}

void MainWindow::regenerateData(const LabState &state)
{
    LabState s = m_state;
    s.dataset = state.dataset;
    if (s == m_state) { // the same spec: draw it again anyway, the person asked for it
        m_customData = false;
        m_data = ellipseSamples(s.dataset);
        m_plane->setData(m_data);
        return;
    }
    editState(s);
}

void MainWindow::setPresentationMode(bool on)
{
    if (on == m_presenting)
        return;
    m_presenting = on;
    const double factor = on ? kPresentationScale : 1.0 / kPresentationScale;
    QFont f = font();
    f.setPointSizeF(f.pointSizeF() * factor);
    setFont(f);
    plotstyle::scaleWidgetTree(this, factor); // the compare window too: it is a child
    if (m_compare && m_compare->isVisible()) {
        if (on)
            m_compare->showFullScreen();
        else
            m_compare->showNormal();
    }
    m_lessonBanner->setStyleSheet(kBannerStyle.arg(on ? 22 : 15));
    // The presenter drives with keys and lessons; the panels get the room the controls took.
    m_parametersDock->setVisible(!on);
    if (on) {
        m_normalGeometry = geometry();
        setGeometry(screen()->geometry()); // first: where no window manager resizes (a bare X server)
        showFullScreen();
    } else {
        showNormal();
        setGeometry(m_normalGeometry);
    }
}

void MainWindow::restoreSettings()
{
    m_persistent = true;
    QSettings settings;
    restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray());
    restoreState(settings.value(QStringLiteral("window/state")).toByteArray());
    setState(loadLabState(settings, m_state));
    setTheme(themeFromName(settings.value(QStringLiteral("view/theme")).toString(), m_theme));
}

void MainWindow::saveSettings() const
{
    QSettings settings;
    settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("window/state"), saveState());
    saveLabState(settings, m_state);
    settings.setValue(QStringLiteral("view/theme"), themeName(m_theme));
}

MainWindow::~MainWindow()
{
    m_sectionCancel->store(true);
    // The undo stack is deleted with the children, after this object has stopped being a MainWindow; clearing a
    // non-clean stack then emits cleanChanged into updateTitle (UBSan: a downcast to a destroyed MainWindow).
    m_undo->disconnect(this);
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    m_closing = true;
    m_sectionCancel->store(true);
    if (m_persistent)
        saveSettings();
    QMainWindow::closeEvent(event);
}

void MainWindow::openDataset()
{
    const QString path =
        QFileDialog::getOpenFileName(this, tr("Open a data set"), QString(), tr("CSV files (*.csv);;All files (*)"));
    if (path.isEmpty())
        return;
    openDataFile(path);
}

QString MainWindow::loadDataset(const QString &path)
{
    return openDataFile(path) ? QString() : lastError();
}

void MainWindow::setData(const std::vector<Vec2> &points)
{
    m_data = points;
    m_customData = true; // kept through view changes, as data opened from a file are
    m_plane->setData(m_data);
    m_training->setProblem(m_data, m_state.latents(), EllipseParams{1.0, 1.0});
}

bool MainWindow::fieldIsCurrent() const
{
    // A resize not yet announced by the plane leaves m_visible behind what the axes show.
    return m_hasRequested && m_visible == m_plane->visibleRange() && m_displayedJob == jobFor(m_state);
}

void MainWindow::showTrainingPairs(const std::vector<Vec2> &, const std::vector<Vec2> &negatives)
{
    if (m_state.modelKind != ModelKind::Ellipse)
        return; // the training panel trains the ellipse
    // Every data point pulls (the energy loss reports no pairs, yet pulls are what it does); the pairs only
    // bring the negatives.
    // Each data point pulls the manifold where the model infers it: g(z_check) at zero temperature, the
    // posterior mean y_bar_beta when marginalised. Each negative pushes its own inferred point away from it.
    const TrainingArrows arrows = trainingArrows(m_state.model(), m_training->config().loss.beta, m_data, negatives);
    m_plane->setTrainingOverlay(arrows.pulls, negatives, arrows.pushes);
}

void MainWindow::showCursor(const Vec2 &y, double value)
{
    const QString where = tr("y = (%1, %2)").arg(y.x(), 0, 'f', 3).arg(y.y(), 0, 'f', 3);
    m_cursorLabel->setText(std::isnan(value) ? where : tr("%1    value %2").arg(where).arg(value, 0, 'g', 6));
}

QString MainWindow::fieldLabel(const FieldJob &job)
{
    if (job.modelKind != ModelKind::Ellipse)
        return familyFieldLabel(job);
    const QString latents = job.latents.isContinuous() ? tr("continuous z") : tr("N = %1").arg(job.latents.count());
    const QString beta = formatBeta(job.request.beta);
    switch (job.request.kind) {
    case FieldKind::FreeEnergy:
        return tr("free energy F_β(y),  β = %1,  %2").arg(beta, latents);
    case FieldKind::ZeroTemperature:
        return tr("zero-temperature free energy F∞(y),  %1").arg(latents);
    case FieldKind::Energy:
        return tr("energy E(y, z*),  z* = %1").arg(job.latents.snap(job.request.z), 0, 'f', 3);
    case FieldKind::Posterior:
        return tr("posterior P_β(z* | y),  β = %1").arg(beta);
    }
    return {};
}

} // namespace ebm
