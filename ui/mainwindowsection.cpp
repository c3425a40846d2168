// The cross-section panel's data: F along the section line for the reference temperatures and the current one.
#include "mainwindow.h"
#include "observationplane.h"
#include "sectionpanel.h"

#include <QtConcurrent/QtConcurrentRun>

namespace ebm {

namespace {

constexpr int kSectionSamples = 241;

} // namespace

void MainWindow::updateSection()
{
    const EllipseEbm model = m_state.model();
    std::vector<double> betas = referenceBetas();
    betas.push_back(m_state.effectiveBeta());
    const QRectF view = m_plane->viewRange();
    const SectionLine line{Vec2(m_state.sectionY1, view.top()), Vec2(m_state.sectionY1, view.bottom())};
    const double beta = m_state.effectiveBeta();
    const QString label = tr("y₂ along y₁ = %1").arg(m_state.sectionY1, 0, 'f', 2);
    if (m_state.modelKind != ModelKind::Ellipse) {
        if (m_sectionWatcher && m_sectionWatcher->isRunning()) {
            m_sectionWanted = false;
            m_sectionCancel->store(true);
        }
        updateFamilySection(line, betas, kSectionSamples);
        return;
    }
    if (!m_state.continuousLatent) {
        // Sampled latents: 241 points x 4 temperatures x N energies, well under a millisecond.
        if (m_sectionWatcher && m_sectionWatcher->isRunning()) {
            m_sectionWanted = false; // the running continuous one is stale: stopped, and on finishing it shows this
            m_sectionCancel->store(true);
        }
        showSection(sectionProfile(model, line, betas, kSectionSamples), beta, label);
        return;
    }
    // A continuous latent integrates over z for every sample: up to seconds at large beta, so a model thread.
    if (!m_sectionWatcher) {
        m_sectionWatcher = new QFutureWatcher<SectionProfile>(this);
        connect(m_sectionWatcher, &QFutureWatcher<SectionProfile>::finished, this, [this] {
            const bool stale = m_sectionWanted || m_sectionCancel->load();
            m_sectionWanted = false;
            if (m_closing)
                return;
            if (stale || !m_state.continuousLatent || m_state.modelKind != ModelKind::Ellipse)
                updateSection(); // the newest request (or a sampled one made meanwhile, already shown)
            else
                showSection(m_sectionWatcher->result(), m_state.effectiveBeta(),
                            tr("y₂ along y₁ = %1").arg(m_state.sectionY1, 0, 'f', 2));
        });
    }
    if (m_sectionWatcher->isRunning()) {
        m_sectionWanted = true;
        m_sectionCancel->store(true); // latest wins: the running one stops at its next point
        return;
    }
    m_sectionCancel = std::make_shared<std::atomic<bool>>(false);
    m_sectionWatcher->setFuture(QtConcurrent::run([model, line, betas, cancel = m_sectionCancel] {
        return sectionProfile(model, line, betas, kSectionSamples, cancel.get());
    }));
}

void MainWindow::showSection(const SectionProfile &profile, double beta, const QString &label)
{
    m_sectionPanel->setProfile(profile, beta, label);
}

} // namespace ebm
