#include "math/trainer.h"

#include <cmath>
#include <stdexcept>

namespace ebm {

namespace {

bool finite(const Vec2 &v)
{
    return std::isfinite(v.x()) && std::isfinite(v.y());
}

bool bounded(const Vec2 &w)
{
    return std::abs(w.x()) <= kDivergenceBound && std::abs(w.y()) <= kDivergenceBound; // false for NaN too
}

std::string epochText(int epoch)
{
    return "epoch " + std::to_string(epoch);
}

// The gradient of row k depends on everything but eta; a change of eta alone keeps it.
bool sameLoss(const TrainingConfig &a, const TrainingConfig &b)
{
    return a.loss == b.loss && a.negatives == b.negatives && a.latents == b.latents;
}

} // namespace

std::string trainingConfigProblem(const TrainingConfig &config)
{
    const LossConfig &loss = config.loss;
    if (!(loss.beta > 0.0))
        return "the inverse temperature beta must be positive (or inf)";
    if (!std::isfinite(loss.margin))
        return "the margin m must be finite";
    if (!(config.learningRate > 0.0) || !std::isfinite(config.learningRate))
        return "the learning rate eta must be positive and finite";
    if (!bounded({config.init.w1, config.init.w2}))
        return "the initial w must lie within +-1e6";
    const ViewBox &v = loss.view;
    if (!(v.x0 < v.x1) || !(v.y0 < v.y1) || !std::isfinite(v.x1 - v.x0) || !std::isfinite(v.y1 - v.y0))
        return "the view box must be finite and non-empty";
    if (loss.kind == LossKind::Nll && (loss.candidatesX < 1 || loss.candidatesY < 1))
        return "the NLL needs at least one candidate per side";
    const NegativeSpec &n = config.negatives;
    if (n.count < 1 || n.candidates < 1)
        return "negatives need a count and a candidate count of at least 1";
    if (!(n.noise >= 0.0) || !std::isfinite(n.noise) || !(n.minDistance >= 0.0) || !std::isfinite(n.minDistance))
        return "the negatives' noise and minimum distance must be finite and non-negative";
    return {};
}

TrainingRun::TrainingRun(std::vector<Vec2> data, const TrainingConfig &config, const std::atomic<bool> *cancel)
    : m_data(std::move(data))
    , m_config(config)
{
    if (m_data.empty())
        throw std::invalid_argument("training needs at least one data point");
    if (const std::string problem = trainingConfigProblem(m_config); !problem.empty())
        throw std::invalid_argument(problem);
    if (!start(cancel))
        throw TrainingCancelled();
}

std::optional<DatasetLoss> TrainingRun::evaluate(const EllipseParams &w, int epoch,
                                                 const std::atomic<bool> *cancel) const
{
    const EllipseEbm model(w, m_config.latents);
    std::vector<std::vector<Vec2>> negatives;
    if (lossUsesNegatives(m_config.loss.kind))
        negatives = drawNegatives(m_config.negatives, m_config.loss.view, m_data, model, m_config.loss.beta, epoch);
    return datasetLoss(model, m_config.loss, m_data, negatives, cancel);
}

bool TrainingRun::start(const std::atomic<bool> *cancel)
{
    // Computed before anything is replaced, so that a cancelled reset leaves the run as it was.
    const std::optional<DatasetLoss> l = evaluate(m_config.init, 0, cancel);
    if (!l)
        return false;
    m_trace.assign(1, {0, m_config.init, l->value});
    m_pairs = l->pairs;
    m_message.clear();
    m_gradient.reset();
    if (!std::isfinite(l->value) || !finite(l->gradW))
        m_message = "the loss is not finite at the initial w";
    else
        m_gradient = l->gradW;
    return true;
}

bool TrainingRun::reset(const std::atomic<bool> *cancel)
{
    return start(cancel);
}

bool TrainingRun::resume(std::vector<TracePoint> trace, const std::atomic<bool> *cancel)
{
    if (trace.empty())
        throw std::invalid_argument("a run resumes from at least one row");
    for (size_t k = 0; k < trace.size(); ++k) {
        if (trace[k].epoch != static_cast<int>(k))
            throw std::invalid_argument("a resumed trace counts its epochs 0, 1, 2, ... without gaps");
    }
    // The last row's gradient and pairs, as the step that produced it would have left them.
    const TracePoint &last = trace.back();
    const std::optional<DatasetLoss> l = evaluate(last.w, last.epoch, cancel);
    if (!l)
        return false;
    m_trace = std::move(trace);
    m_pairs = l->pairs;
    m_message.clear();
    m_gradient.reset();
    if (!std::isfinite(l->value) || !finite(l->gradW))
        m_message = "the loss is not finite at the resumed w";
    else
        m_gradient = l->gradW;
    return true;
}

void TrainingRun::setConfig(const TrainingConfig &config)
{
    if (const std::string problem = trainingConfigProblem(config); !problem.empty())
        throw std::invalid_argument(problem);
    if (!sameLoss(config, m_config))
        m_gradient.reset();
    m_config = config;
}

bool TrainingRun::step(const std::atomic<bool> *cancel)
{
    if (diverged())
        return false;
    const TracePoint here = m_trace.back();
    const int next = here.epoch + 1;
    if (!m_gradient) {
        const std::optional<DatasetLoss> l = evaluate(here.w, here.epoch, cancel);
        if (!l)
            return false;
        if (!finite(l->gradW)) {
            m_message = "diverged at " + epochText(here.epoch) + ": the gradient is not finite";
            return false;
        }
        m_gradient = l->gradW;
    }
    const Vec2 w = Vec2(here.w.w1, here.w.w2) - m_config.learningRate * *m_gradient;
    if (!bounded(w)) {
        m_message = "diverged at " + epochText(next) +
                    ": w is beyond +-1e6 or not finite (is the learning rate too large?); stopped at " +
                    epochText(here.epoch);
        return false;
    }
    const EllipseParams wNext{w.x(), w.y()};
    const std::optional<DatasetLoss> l = evaluate(wNext, next, cancel);
    if (!l)
        return false;
    if (!std::isfinite(l->value) || !finite(l->gradW)) {
        m_message = "diverged at " + epochText(next) +
                    ": the loss is not finite (is the learning rate too large?); stopped at " + epochText(here.epoch);
        return false;
    }
    m_trace.push_back({next, wNext, l->value});
    m_gradient = l->gradW;
    m_pairs = l->pairs;
    return true;
}

int TrainingRun::run(int epochs, const std::atomic<bool> *cancel)
{
    int taken = 0;
    while (taken < epochs && step(cancel))
        ++taken;
    return taken;
}

} // namespace ebm
