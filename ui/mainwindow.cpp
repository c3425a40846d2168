#include "mainwindow.h"

#include "observationplane.h"

#include <QLabel>
#include <QStatusBar>

#include <algorithm>
#include <cmath>

namespace ebm {

namespace {
constexpr double kCellsAcross = 300.0;
}

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent)
    , m_plane(new ObservationPlane(this))
    , m_worker(new FieldWorker(this))
    , m_status(new QLabel(this))
{
    setWindowTitle(QStringLiteral("EBM Lab — latent-variable energy-based models"));
    setCentralWidget(m_plane);
    statusBar()->addWidget(m_status, 1);
    resize(1100, 900);

    connect(m_worker, &FieldWorker::fieldReady, this, &MainWindow::applyField);
    connect(m_worker, &FieldWorker::fieldFailed, this, &MainWindow::showFailure);

    connect(m_plane, &ObservationPlane::visibleRangeChanged, this, &MainWindow::coverRange);

    // The lecture's default: the trained manifold w = (2, 1.5), 48 latents, 24 samples at x = 0.
    m_job.request = {FieldKind::FreeEnergy, 1.0, 0.0};
    m_data = ellipseSamples(DatasetSpec{});
    m_plane->setManifold(m_job.w, m_job.latents);
    m_plane->setData(m_data);
    coverRange(m_plane->visibleRange());
}

void MainWindow::coverRange(const QRectF &range)
{
    // Square cells, about kCellsAcross along the longer side, over everything the axes show.
    const double cell = std::max(range.width(), range.height()) / kCellsAcross;
    m_job.grid.x0 = range.left();
    m_job.grid.x1 = range.right();
    m_job.grid.y0 = range.top();
    m_job.grid.y1 = range.bottom();
    m_job.grid.nx = std::max(2, static_cast<int>(std::lround(range.width() / cell)) + 1);
    m_job.grid.ny = std::max(2, static_cast<int>(std::lround(range.height() / cell)) + 1);
    requestField(m_job);
}

void MainWindow::requestField(const FieldJob &job)
{
    m_status->setText(tr("Computing %1 …").arg(fieldLabel(job)));
    m_worker->submit(job);
}

void MainWindow::applyField(const FieldResult &result)
{
    if (result.generation != m_worker->latestGeneration())
        return; // stale: a newer request is on its way
    m_displayedJob = result.job;
    m_plane->setField(result.job.grid, result.values, fieldLabel(result.job));
    m_plane->setManifold(result.job.w, result.job.latents);
    m_status->setText(tr("%1   ·   %2 × %3 grid computed in %4 ms")
                          .arg(fieldLabel(result.job))
                          .arg(result.job.grid.nx)
                          .arg(result.job.grid.ny)
                          .arg(result.elapsedMs, 0, 'f', 1));
    emit fieldApplied(result.generation);
}

void MainWindow::showFailure(quint64 generation, const QString &message)
{
    if (generation == m_worker->latestGeneration())
        m_status->setText(tr("Cannot compute the field: %1").arg(message));
}

QString MainWindow::fieldLabel(const FieldJob &job)
{
    const QString latents = job.latents.isContinuous() ? tr("continuous z") : tr("N = %1").arg(job.latents.count());
    const QString beta = std::isinf(job.request.beta) ? QStringLiteral("∞") : QString::number(job.request.beta, 'g', 4);
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
