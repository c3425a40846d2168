// Sparse coding behind the EnergyModel interface: y is lifted to y_dot = (1, y), F_inf is the lecture's top-2
// refit energy; there is no F_beta (MODEL.md defines none for z in R^d), so only the Finf field exists.
#pragma once

#include "math/energymodel.h"
#include "math/sparsecoding.h"

namespace ebm {

class SparseCodingModel final : public EnergyModel
{
public:
    explicit SparseCodingModel(SparseCoding coding)
        : m_coding(std::move(coding))
    {
    }

    const SparseCoding &coding() const { return m_coding; }
    SparseCoding &coding() { return m_coding; }

    ModelKind kind() const override { return ModelKind::SparseCoding; }
    std::unique_ptr<EnergyModel> clone() const override { return std::make_unique<SparseCodingModel>(*this); }
    //! \brief the 3 x d dictionary (rows: the constant, y1, y2)
    Eigen::MatrixXd parameters() const override { return m_coding.dictionary(); }
    void setParameters(const Eigen::MatrixXd &parameters) override;

    double zeroTemperature(const Vec2 &y) const override { return m_coding.zeroTemperature(y); }
    bool hasFreeEnergy() const override { return false; }
    //! Throws std::invalid_argument: sparse coding has no F_beta.
    double freeEnergy(const Vec2 &y, double beta) const override;
    //! \brief grad_y F_inf (beta is not used)
    Vec2 gradY(const Vec2 &y, double) const override { return m_coding.gradY(y); }
    //! \brief z = z_check_2, decoded = W z_check_2 (in R^3), decodedY its y components
    LatentCode infer(const Vec2 &y) const override;
    //! \brief W <- normalise(W - eta mean dE(y, z_check_2)/dW)
    void trainStep(const std::vector<Vec2> &data, const TrainStepOptions &options) override;

    //! Only Finf (and F at beta = inf, which is the same field).
    std::string fieldProblem(const FieldRequest &request) const override;
    double fieldValue(const FieldRequest &request, const Vec2 &y) const override;

private:
    SparseCoding m_coding;
};

} // namespace ebm
