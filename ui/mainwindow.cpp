#include "mainwindow.h"

#include "io/csvio.h"
#include "latentpanel.h"
#include "math/section.h"
#include "observationplane.h"
#include "parameterpanel.h"
#include "sectionpanel.h"

#include <QAction>
#include <QApplication>
#include <QDockWidget>
#include <QFileDialog>
#include <QKeySequence>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QScrollArea>
#include <QSignalBlocker>
#include <QSplitter>
#include <QStatusBar>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace ebm {

namespace {

constexpr int kArrowsAcross = 17;
constexpr int kSectionSamples = 241;
constexpr int kContourLevels = 12;

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
    , m_worker(new FieldWorker(this))
    , m_lessonBanner(new QLabel)
    , m_cursorLabel(new QLabel)
    , m_timingLabel(new QLabel)
{
    setWindowTitle(QStringLiteral("EBM Lab — latent-variable energy-based models"));

    m_lessonBanner->setWordWrap(true);
    m_lessonBanner->setVisible(false);
    m_lessonBanner->setStyleSheet(QStringLiteral("QLabel { background: #1f2333; color: white; padding: 8px 12px; "
                                                 "font-size: 15pt; }"));
    auto *left = new QWidget;
    auto *leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    leftLayout->setSpacing(0);
    leftLayout->addWidget(m_lessonBanner);
    leftLayout->addWidget(m_plane, 1);

    auto *panels = new QSplitter(Qt::Vertical);
    panels->addWidget(m_latentPanel);
    panels->addWidget(m_sectionPanel);
    auto *central = new QSplitter(Qt::Horizontal);
    central->addWidget(left);
    central->addWidget(panels);
    central->setStretchFactor(0, 3);
    central->setStretchFactor(1, 2);
    central->setSizes({820, 560});
    setCentralWidget(central);

    auto *scroll = new QScrollArea;
    scroll->setWidget(m_parameters);
    scroll->setWidgetResizable(true);
    scroll->setMinimumWidth(m_parameters->sizeHint().width() + 24);
    auto *dock = new QDockWidget(tr("Parameters"));
    dock->setObjectName(QStringLiteral("parameters"));
    dock->setWidget(scroll);
    dock->setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetFloatable);
    addDockWidget(Qt::LeftDockWidgetArea, dock);

    statusBar()->addWidget(m_cursorLabel, 1);
    statusBar()->addPermanentWidget(m_timingLabel);
    resize(1600, 950);

    connect(m_worker, &FieldWorker::fieldReady, this, &MainWindow::applyField);
    connect(m_worker, &FieldWorker::fieldFailed, this, &MainWindow::showFailure);
    connect(m_plane, &ObservationPlane::visibleRangeChanged, this, &MainWindow::coverRange);
    connect(m_plane, &ObservationPlane::observationDragged, this, [this](const Vec2 &y) {
        m_state.observation = y;
        updateObservationViews();
    });
    connect(m_plane, &ObservationPlane::sectionDragged, this, [this](double y1) {
        m_state.sectionY1 = y1;
        updateSection();
    });
    connect(m_plane, &ObservationPlane::cursorMoved, this, &MainWindow::showCursor);
    connect(m_parameters, &ParameterPanel::stateEdited, this, &MainWindow::setState);
    connect(m_parameters, &ParameterPanel::regenerateRequested, this, &MainWindow::regenerateData);

    buildMenus();
    m_data = ellipseSamples(m_state.dataset);
    m_plane->setData(m_data);
    m_visible = m_plane->visibleRange();
    setState(m_state);
    m_plane->setFocus();
}

void MainWindow::setState(const LabState &state)
{
    m_state = state;
    m_parameters->setState(state);
    m_plane->setLayers(state.layers);
    m_plane->setColorMap(state.colorMap);
    m_plane->setSectionY1(state.sectionY1);
    for (const auto &[action, member] : m_layerActions) {
        const QSignalBlocker blocker(action);
        action->setChecked(state.layers.*member);
    }
    updateObservationViews();
    updateSection();
    const FieldJob job = jobFor(state);
    if (!m_hasRequested || !(job == m_requestedJob))
        requestField(job);
}

FieldJob MainWindow::jobFor(const LabState &state) const
{
    FieldJob job;
    job.w = state.w;
    job.latents = state.latents();
    job.request = {state.field, state.effectiveBeta(), state.zStar};
    // Square cells over everything the axes show, `resolution` along the longer side.
    const double cell = std::max(m_visible.width(), m_visible.height()) / state.resolution;
    job.grid = Grid{m_visible.left(),
                    m_visible.right(),
                    m_visible.top(),
                    m_visible.bottom(),
                    std::max(2, static_cast<int>(std::lround(m_visible.width() / cell)) + 1),
                    std::max(2, static_cast<int>(std::lround(m_visible.height() / cell)) + 1)};
    if (state.layers.contours)
        job.contourCount = kContourLevels;
    job.marginLine = state.layers.marginLevel && state.field != FieldKind::Posterior;
    job.margin = state.margin;
    if (state.layers.arrows) {
        const double spacing = std::max(m_visible.width(), m_visible.height()) / kArrowsAcross;
        const int nx = std::max(2, static_cast<int>(m_visible.width() / spacing));
        const int ny = std::max(2, static_cast<int>(m_visible.height() / spacing));
        const double mx = 0.5 * (m_visible.width() - (nx - 1) * spacing);
        const double my = 0.5 * (m_visible.height() - (ny - 1) * spacing);
        job.arrowGrid =
            Grid{m_visible.left() + mx, m_visible.right() - mx, m_visible.top() + my, m_visible.bottom() - my, nx, ny};
    }
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
    m_plane->setModelPicture(model, m_state.observation, m_state.effectiveBeta(), m_state.latentsByPosterior);
    m_latentPanel->setState(model, m_state.observation, m_state.effectiveBeta());
}

void MainWindow::updateSection()
{
    const EllipseEbm model = m_state.model();
    std::vector<double> betas = referenceBetas();
    betas.push_back(m_state.effectiveBeta());
    const QRectF view = m_plane->viewRange();
    const SectionLine line{Vec2(m_state.sectionY1, view.top()), Vec2(m_state.sectionY1, view.bottom())};
    m_sectionPanel->setProfile(sectionProfile(model, line, betas, kSectionSamples), m_state.effectiveBeta(),
                               tr("y₂ along y₁ = %1").arg(m_state.sectionY1, 0, 'f', 2));
}

void MainWindow::stepBeta(double factor)
{
    LabState s = m_state;
    s.zeroTemperature = false;
    s.beta = std::clamp(s.beta * factor, 1e-3, 1e3);
    setState(s);
}

void MainWindow::applyLesson(int index)
{
    if (index < 0 || index >= static_cast<int>(m_lessons.size()))
        return;
    const Lesson &lesson = m_lessons[static_cast<size_t>(index)];
    LabState s = m_state;
    lesson.setUp(s, m_data);
    m_lessonBanner->setText(QStringLiteral("<b>%1</b> — %2").arg(lesson.title, lesson.explanation));
    m_lessonBanner->setVisible(true);
    m_plane->resetView();
    setState(s);
}

QString MainWindow::lessonText() const
{
    return m_lessonBanner->isVisible() ? m_lessonBanner->text() : QString();
}

void MainWindow::regenerateData(const LabState &state)
{
    m_state.dataset = state.dataset;
    m_data = ellipseSamples(m_state.dataset);
    m_plane->setData(m_data);
    setState(m_state);
}

void MainWindow::openDataset()
{
    const QString path =
        QFileDialog::getOpenFileName(this, tr("Open a data set"), QString(), tr("CSV files (*.csv);;All files (*)"));
    if (path.isEmpty())
        return;
    const DataCsv csv = readDataCsv(path);
    if (!csv.error.isEmpty()) {
        QMessageBox::warning(this, tr("Cannot open the data set"), csv.error);
        return; // nothing changed
    }
    m_data = csv.points;
    m_plane->setData(m_data);
}

void MainWindow::showCursor(const Vec2 &y, double value)
{
    const QString where = tr("y = (%1, %2)").arg(y.x(), 0, 'f', 3).arg(y.y(), 0, 'f', 3);
    m_cursorLabel->setText(std::isnan(value) ? where : tr("%1    value %2").arg(where).arg(value, 0, 'g', 6));
}

QString MainWindow::fieldLabel(const FieldJob &job)
{
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
