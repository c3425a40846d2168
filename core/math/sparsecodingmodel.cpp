#include "math/sparsecodingmodel.h"

#include <cmath>
#include <stdexcept>

namespace ebm {

void SparseCodingModel::setParameters(const Eigen::MatrixXd &parameters)
{
    if (parameters.rows() != 3 || parameters.cols() < 1 || !parameters.allFinite())
        throw std::invalid_argument("sparse coding takes a 3 x d matrix of finite atoms");
    m_coding.setDictionary(parameters);
}

double SparseCodingModel::freeEnergy(const Vec2 &y, double beta) const
{
    if (std::isinf(beta) && beta > 0.0)
        return zeroTemperature(y);
    throw std::invalid_argument("sparse coding defines F_inf only (no F_beta over z in R^d)");
}

LatentCode SparseCodingModel::infer(const Vec2 &y) const
{
    const TopTwoCode code = m_coding.infer(lift(y));
    LatentCode c;
    c.z = code.z;
    c.decoded = m_coding.decode(code.z);
    c.decodedY = {c.decoded[1], c.decoded[2]};
    c.energy = code.value;
    return c;
}

void SparseCodingModel::trainStep(const std::vector<Vec2> &data, const TrainStepOptions &options)
{
    m_coding.trainStep(data, options.learningRate);
}

std::string SparseCodingModel::fieldProblem(const FieldRequest &request) const
{
    const bool cold = request.kind == FieldKind::FreeEnergy && std::isinf(request.beta) && request.beta > 0.0;
    if (request.kind == FieldKind::ZeroTemperature || cold)
        return {};
    return "sparse coding has only the Finf field (F_beta, E and the posterior need a finite latent set)";
}

double SparseCodingModel::fieldValue(const FieldRequest &, const Vec2 &y) const
{
    return m_coding.zeroTemperature(y);
}

} // namespace ebm
