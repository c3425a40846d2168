// The main window's part of the model family (issue #7): K-means and sparse coding in the same plane and panels as
// the ellipse. The state carries each model's parameters; this file turns them into field jobs, pictures, latent and
// section views, and runs the Lloyd / training steps and centroid drags as state edits (undo takes them back).
#include "familylatentpanel.h"
#include "latentpanel.h"
#include "mainwindow.h"
#include "math/modelsection.h"
#include "modelcontrols.h"
#include "observationplane.h"
#include "sectionpanel.h"
#include "statecommand.h"

#include <QStackedWidget>
#include <QStatusBar>

#include <algorithm>
#include <cmath>

namespace ebm {

namespace {

//! Sparse coding's F_inf costs ~20 us a cell (a FISTA solve and a refit): its heatmap has at most this many cells
//! along the longer side, ~0.3 s on one core, so a drag never waits long for the field.
constexpr int kSparseResolution = 128;
//! Decoded FISTA iterates drawn for the dragged observation (the solver's first steps carry the picture).
constexpr int kMaxPathPoints = 400;

std::vector<Vec2> columnsOf(const Eigen::Matrix2Xd &w)
{
    std::vector<Vec2> columns;
    for (Eigen::Index j = 0; j < w.cols(); ++j)
        columns.emplace_back(w.col(j));
    return columns;
}

} // namespace

void MainWindow::connectFamily()
{
    connect(m_modelControls, &ModelControls::stateEdited, this, &MainWindow::editState);
    connect(m_modelControls, &ModelControls::stepRequested, this, &MainWindow::familyStep);
    connect(m_plane, &ObservationPlane::centroidDragStarted, this, [this](int) { m_dragStart = m_state; });
    connect(m_plane, &ObservationPlane::centroidDragged, this, [this](int k, const Vec2 &y) {
        if (k < 0 || k >= static_cast<int>(m_state.kmeans.centroids.size()))
            return;
        LabState s = m_state;
        s.kmeans.centroids[static_cast<size_t>(k)] = y;
        setState(s); // live while dragging; one undo step for the whole drag when it ends
    });
    connect(m_plane, &ObservationPlane::centroidDragFinished, this, [this](int) {
        if (m_dragStart && !(*m_dragStart == m_state))
            m_undo->push(new StateCommand(*m_dragStart, m_state, [this](const LabState &s) { setState(s); }));
        m_dragStart.reset();
    });
}

LabState MainWindow::withFamilyParameters(const LabState &requested) const
{
    LabState state = requested;
    const bool kmeans = state.modelKind == ModelKind::KMeans && state.kmeans.centroids.empty();
    const bool sparse = state.modelKind == ModelKind::SparseCoding &&
                        static_cast<int>(state.sparse.dictionary.size()) != state.sparse.atoms;
    if (!kmeans && !sparse)
        return state;
    // The data the state will show: drawn anew when its spec changes, else those on screen.
    const bool regenerates = state.dataset != m_state.dataset || (!m_applied && !m_customData);
    const std::vector<Vec2> data = regenerates ? ellipseSamples(state.dataset) : m_data;
    if (kmeans)
        state.kmeans.centroids = initialCentroids(state.kmeans, data);
    if (sparse)
        state.sparse.dictionary = initialDictionary(state.sparse);
    return state;
}

void MainWindow::adjustFamilyJob(FieldJob &job, const LabState &state) const
{
    job.modelKind = state.modelKind;
    if (state.modelKind == ModelKind::KMeans) {
        job.kmeans = state.kmeans;
        job.kmeans.k = static_cast<int>(state.kmeans.centroids.size()); // the field depends on W only
        job.kmeans.seed = 0;
        // E(y, k*) and P(k* | y) of the observation's own cluster k* (z* is an angle, which K-means has not).
        job.request.z = kmeansOf(state.kmeans).assign(state.observation).k;
        if (state.field != FieldKind::Energy && state.field != FieldKind::Posterior)
            job.request.z = 0.0;
    } else if (state.modelKind == ModelKind::SparseCoding) {
        job.sparse = state.sparse;
        job.sparse.atoms = static_cast<int>(state.sparse.dictionary.size());
        job.sparse.seed = 0;
        job.request = {FieldKind::ZeroTemperature, kInfiniteBeta, 0.0}; // its one field
        const Grid &g = job.grid;
        const int longer = std::max(g.nx, g.ny);
        if (longer > kSparseResolution) {
            const double scale = static_cast<double>(kSparseResolution) / longer;
            job.grid.nx = std::max(2, static_cast<int>(std::lround(g.nx * scale)));
            job.grid.ny = std::max(2, static_cast<int>(std::lround(g.ny * scale)));
        }
    }
}

void MainWindow::updateFamilyViews()
{
    const bool family = m_state.modelKind != ModelKind::Ellipse;
    m_latentStack->setCurrentWidget(family ? static_cast<QWidget *>(m_familyLatent) : m_latentPanel);
    FamilyPicture picture;
    picture.kind = m_state.modelKind;
    picture.observation = m_state.observation;
    if (m_state.modelKind == ModelKind::KMeans) {
        const KMeans model = kmeansOf(m_state.kmeans);
        picture.centroids = columnsOf(model.centroids());
        picture.data = m_data;
        picture.assignments = model.assignments(m_data);
        picture.decoded = model.centroids().col(model.assign(m_state.observation).k);
        m_familyLatent->showKMeans(model, m_state.observation, m_state.effectiveBeta());
    } else if (m_state.modelKind == ModelKind::SparseCoding) {
        const SparseCoding model = sparseCodingOf(m_state.sparse);
        picture.atoms = m_state.sparse.dictionary;
        ShrinkageOptions options;
        options.keepPath = true;
        const Vec3 yDot = lift(m_state.observation);
        const ShrinkageResult lasso = model.shrink(yDot, options);
        const TopTwoCode code = model.refit(yDot, lasso.z);
        // The iterates decoded: the y-part of W z_t, from W 0 = 0 towards y, then the refit's Dec(z_check_2).
        const size_t stride = std::max<size_t>(1, lasso.path.size() / kMaxPathPoints);
        for (size_t t = 0; t < lasso.path.size(); t += stride)
            picture.path.emplace_back(model.decode(lasso.path[t]).tail<2>());
        picture.path.emplace_back(model.decode(lasso.z).tail<2>());
        picture.decoded = model.decode(code.z).tail<2>();
        picture.path.push_back(picture.decoded);
        m_familyLatent->showSparse(model, m_state.observation);
    }
    if (family) // the ellipse's training pulls mean nothing for K-means or sparse coding
        m_plane->setTrainingOverlay({}, {}, {});
    m_plane->setFamilyPicture(picture);
}

void MainWindow::updateFamilySection(const SectionLine &line, const std::vector<double> &betas, int samples)
{
    const auto model = m_state.energyModel();
    const QString name = m_state.modelKind == ModelKind::KMeans ? tr("K-means") : tr("sparse coding");
    m_sectionPanel->setProfile(modelSectionProfile(*model, line, betas, samples),
                               model->hasFreeEnergy() ? m_state.effectiveBeta() : kInfiniteBeta,
                               tr("y₂ along y₁ = %1  (%2)").arg(m_state.sectionY1, 0, 'f', 2).arg(name));
}

void MainWindow::familyStep()
{
    LabState s = m_state;
    if (s.modelKind == ModelKind::KMeans) {
        KMeans model = kmeansOf(s.kmeans);
        const double before = model.loss(m_data);
        const LloydStep step = model.lloydStep(m_data);
        s.kmeans.centroids = columnsOf(model.centroids());
        statusBar()->showMessage(tr("Lloyd step: loss %1 → %2%3%4")
                                     .arg(before, 0, 'g', 6)
                                     .arg(model.loss(m_data), 0, 'g', 6)
                                     .arg(step.emptyClusters
                                              ? tr(", %1 empty clusters kept their centroids").arg(step.emptyClusters)
                                              : QString())
                                     .arg(step.moved ? QString() : tr(" (converged)")),
                                 6000);
        if (!step.moved)
            m_modelControls->setPlaying(false);
    } else if (s.modelKind == ModelKind::SparseCoding) {
        SparseCoding model = sparseCodingOf(s.sparse);
        const double before = model.loss(m_data);
        model.trainStep(m_data, m_modelControls->learningRate());
        s.sparse.dictionary.clear();
        for (Eigen::Index j = 0; j < model.dictionary().cols(); ++j)
            s.sparse.dictionary.emplace_back(model.dictionary().col(j));
        statusBar()->showMessage(
            tr("Training step: loss %1 → %2").arg(before, 0, 'g', 6).arg(model.loss(m_data), 0, 'g', 6), 6000);
    } else {
        m_modelControls->setPlaying(false);
        return;
    }
    editState(s);
}

QString MainWindow::familyFieldLabel(const FieldJob &job)
{
    if (job.modelKind == ModelKind::KMeans) {
        const int k = static_cast<int>(job.kmeans.centroids.size());
        const QString beta =
            std::isinf(job.request.beta) ? QStringLiteral("∞") : QString::number(job.request.beta, 'g', 4);
        switch (job.request.kind) {
        case FieldKind::FreeEnergy:
            return tr("soft K-means F_β(y),  β = %1,  K = %2").arg(beta).arg(k);
        case FieldKind::ZeroTemperature:
            return tr("K-means F∞(y) = minₖ ‖y − wₖ‖²,  K = %1").arg(k);
        case FieldKind::Energy:
            return tr("energy E(y, k) = ‖y − wₖ‖²,  k = %1").arg(job.request.z, 0, 'f', 0);
        case FieldKind::Posterior:
            return tr("posterior P_β(k = %1 | y),  β = %2").arg(job.request.z, 0, 'f', 0).arg(beta);
        }
    }
    return tr("sparse coding F∞(y) = E(y, ž₂),  d = %1,  α = %2")
        .arg(job.sparse.atoms)
        .arg(job.sparse.alpha, 0, 'g', 3);
}

} // namespace ebm
