#include "engine/fieldworker.h"

#include "math/fastfield.h"
#include "math/parallelblocks.h"

#include <QElapsedTimer>

#include <chrono>
#include <exception>

namespace ebm {

namespace {

qint64 steadyNowNs()
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

void addContours(FieldResult &result)
{
    const FieldJob &job = result.job;
    const Eigen::MatrixXd &v = result.values;
    if (job.contourCount > 0 && v.size() > 0 && v.allFinite()) {
        for (double level : evenLevels(v.minCoeff(), v.maxCoeff(), job.contourCount)) {
            const std::vector<ContourSegment> segments = contourSegments(v, job.grid, level);
            result.contours.insert(result.contours.end(), segments.begin(), segments.end());
        }
    }
    if (job.marginLine)
        result.marginContour = contourSegments(v, job.grid, job.margin);
}

} // namespace

FieldWorker::FieldWorker(QObject *parent)
    : QObject(parent)
{
    qRegisterMetaType<ebm::FieldResult>();
    m_thread = std::thread([this] {
        runBelowInteractivePriority(); // the window stays responsive while this thread computes
        loop();
    });
}

FieldWorker::~FieldWorker()
{
    {
        std::lock_guard lock(m_mutex);
        m_abort = true;
        m_cancel = true;
    }
    m_wake.notify_all();
    m_thread.join();
}

quint64 FieldWorker::submit(const FieldJob &job)
{
    quint64 generation;
    {
        std::lock_guard lock(m_mutex);
        generation = ++m_submitted;
        m_pending = job;
        m_pendingGeneration = generation;
        // Set directly, not through a queued call: the worker checks it inside its loops. Aborting every time
        // would starve a slider dragged faster than a field computes, so a stale frame beats no frame.
        const qint64 sinceShownMs = (steadyNowNs() - m_lastEmitNs.load()) / 1000000;
        if (sinceShownMs < kFrameBudgetMs)
            m_cancel = true;
    }
    m_wake.notify_one();
    return generation;
}

bool evaluateFieldJob(const FieldJob &job, const std::atomic<bool> *cancel, std::optional<Eigen::MatrixXd> &values,
                      std::optional<std::vector<GradientSample>> *gradients, std::string *problem)
{
    const bool arrows = gradients && job.arrowGrid.nx > 0;
    if (job.modelKind == ModelKind::Ellipse) {
        const EllipseEbm model(job.w, job.latents);
        const std::string why = job.grid.problem().empty() ? fieldProblem(model, job.request) : job.grid.problem();
        if (!why.empty()) {
            if (problem)
                *problem = why;
            return false;
        }
        // The fast path on every core; evaluateField stays the reference it is tested against.
        values = evaluateFieldFast(model, job.request, job.grid, hardwareThreads(), cancel);
        if (values && arrows)
            *gradients = fieldGradients(model, job.request, job.arrowGrid, cancel);
        return true;
    }
    const auto model = makeEnergyModel(job.modelKind, EllipseEbm(job.w, job.latents), job.kmeans, job.sparse);
    const std::string why = job.grid.problem().empty() ? model->fieldProblem(job.request) : job.grid.problem();
    if (!why.empty()) {
        if (problem)
            *problem = why;
        return false;
    }
    values = evaluateModelField(*model, job.request, job.grid, hardwareThreads(), cancel);
    if (values && arrows)
        *gradients = modelFieldGradients(*model, job.request, job.arrowGrid, cancel);
    return true;
}

void FieldWorker::loop()
{
    for (;;) {
        FieldJob job;
        quint64 generation;
        {
            std::unique_lock lock(m_mutex);
            m_wake.wait(lock, [this] { return m_abort.load() || m_pending.has_value(); });
            if (m_abort)
                return;
            job = *m_pending;
            generation = m_pendingGeneration;
            m_pending.reset();
            m_cancel = false;
        }
        QElapsedTimer timer;
        timer.start();
        try {
            std::string problem;
            std::optional<Eigen::MatrixXd> values;
            std::optional<std::vector<GradientSample>> gradients;
            if (!evaluateFieldJob(job, &m_cancel, values, &gradients, &problem)) {
                emit fieldFailed(generation, QString::fromStdString(problem));
                continue;
            }
            // A newer job arrived meanwhile: its result is the only one anybody wants.
            if (!values)
                continue;
            if (job.arrowGrid.nx > 0 && !gradients)
                continue;
            FieldResult result;
            result.generation = generation;
            result.job = job;
            result.values = std::move(*values);
            result.gradients = gradients.value_or(std::vector<GradientSample>{});
            addContours(result);
            result.elapsedMs = timer.nsecsElapsed() / 1e6;
            m_lastEmitNs = steadyNowNs();
            emit fieldReady(result);
        } catch (const std::exception &e) {
            emit fieldFailed(generation, QString::fromUtf8(e.what()));
        }
    }
}

} // namespace ebm
