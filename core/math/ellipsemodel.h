// The ellipse EBM behind the EnergyModel interface: a thin adapter over EllipseEbm whose fields go through the
// fast path (evaluateFieldFast), so nothing is slower than calling it directly.
#pragma once

#include "math/ellipseebm.h"
#include "math/energymodel.h"

namespace ebm {

class EllipseModel final : public EnergyModel
{
public:
    explicit EllipseModel(EllipseEbm ebm = EllipseEbm())
        : m_ebm(std::move(ebm))
    {
    }

    const EllipseEbm &ebm() const { return m_ebm; }
    void setEbm(const EllipseEbm &ebm) { m_ebm = ebm; }

    ModelKind kind() const override { return ModelKind::Ellipse; }
    std::unique_ptr<EnergyModel> clone() const override { return std::make_unique<EllipseModel>(*this); }
    //! \brief the 2 x 1 matrix (w1, w2)
    Eigen::MatrixXd parameters() const override;
    void setParameters(const Eigen::MatrixXd &parameters) override;

    double zeroTemperature(const Vec2 &y) const override { return m_ebm.zeroTemperature(y).value; }
    bool hasFreeEnergy() const override { return true; }
    double freeEnergy(const Vec2 &y, double beta) const override { return m_ebm.freeEnergy(y, beta); }
    Vec2 gradY(const Vec2 &y, double beta) const override { return m_ebm.infer(y, beta).gradY; }
    //! \brief z = (z_check), index = its k in Z_N (-1 when continuous), decoded = g(z_check)
    LatentCode infer(const Vec2 &y) const override;
    //! \brief w <- w - eta (1/|Y|) sum_i grad_w F_beta(y_i)
    void trainStep(const std::vector<Vec2> &data, const TrainStepOptions &options) override;

    std::string fieldProblem(const FieldRequest &request) const override;
    double fieldValue(const FieldRequest &request, const Vec2 &y) const override;
    std::optional<Vec2> fieldGradient(const FieldRequest &request, const Vec2 &y) const override;
    //! \brief evaluateFieldFast (tests/core/tst_fastfield holds it to the reference to 1e-9)
    std::optional<Eigen::MatrixXd> evaluateField(const FieldRequest &request, const Grid &grid, int threads,
                                                 const std::atomic<bool> *cancel) const override;

private:
    EllipseEbm m_ebm;
};

} // namespace ebm
