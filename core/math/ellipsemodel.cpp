#include "math/ellipsemodel.h"

#include "math/fastfield.h"

#include <cmath>
#include <stdexcept>

namespace ebm {

Eigen::MatrixXd EllipseModel::parameters() const
{
    Eigen::MatrixXd p(2, 1);
    p << m_ebm.params().w1, m_ebm.params().w2;
    return p;
}

void EllipseModel::setParameters(const Eigen::MatrixXd &parameters)
{
    if (parameters.rows() != 2 || parameters.cols() != 1 || !parameters.allFinite())
        throw std::invalid_argument("the ellipse takes two finite parameters (w1, w2)");
    m_ebm = EllipseEbm({parameters(0, 0), parameters(1, 0)}, m_ebm.latents());
}

LatentCode EllipseModel::infer(const Vec2 &y) const
{
    const ZeroTemperature t = m_ebm.zeroTemperature(y);
    LatentCode c;
    c.z = Eigen::VectorXd::Constant(1, t.z);
    c.index = t.k;
    c.decodedY = decode(m_ebm.params(), t.z);
    c.decoded = c.decodedY;
    c.energy = t.value;
    return c;
}

void EllipseModel::trainStep(const std::vector<Vec2> &data, const TrainStepOptions &options)
{
    if (data.empty())
        throw std::invalid_argument("training needs at least one data point");
    Vec2 gradient = Vec2::Zero();
    for (const Vec2 &y : data)
        gradient += m_ebm.infer(y, options.beta).gradW;
    gradient /= static_cast<double>(data.size());
    const EllipseParams &w = m_ebm.params();
    m_ebm = EllipseEbm({w.w1 - options.learningRate * gradient.x(), w.w2 - options.learningRate * gradient.y()},
                       m_ebm.latents());
}

std::string EllipseModel::fieldProblem(const FieldRequest &request) const
{
    return ebm::fieldProblem(m_ebm, request);
}

double EllipseModel::fieldValue(const FieldRequest &request, const Vec2 &y) const
{
    return ebm::fieldValue(m_ebm, request, y);
}

std::optional<Vec2> EllipseModel::fieldGradient(const FieldRequest &request, const Vec2 &y) const
{
    if (request.kind == FieldKind::Energy)
        return energyGradY(y, m_ebm.latents().snap(request.z), m_ebm.params());
    return EnergyModel::fieldGradient(request, y);
}

std::optional<Eigen::MatrixXd> EllipseModel::evaluateField(const FieldRequest &request, const Grid &grid, int threads,
                                                           const std::atomic<bool> *cancel) const
{
    return evaluateFieldFast(m_ebm, request, grid, threads <= 0 ? hardwareThreads() : threads, cancel);
}

} // namespace ebm
