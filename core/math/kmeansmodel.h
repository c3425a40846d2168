// K-means behind the EnergyModel interface, with a vectorised, threaded field path: E(y_ij, k) = a(i, k) + b(j, k)
// with a = (y1_i - w1k)^2 and b = (y2_j - w2k)^2, the same products as the reference, so F_inf is bit-identical.
#pragma once

#include "math/energymodel.h"
#include "math/kmeans.h"

namespace ebm {

class KMeansModel final : public EnergyModel
{
public:
    explicit KMeansModel(KMeans kmeans)
        : m_kmeans(std::move(kmeans))
    {
    }

    const KMeans &kmeans() const { return m_kmeans; }
    KMeans &kmeans() { return m_kmeans; }

    ModelKind kind() const override { return ModelKind::KMeans; }
    std::unique_ptr<EnergyModel> clone() const override { return std::make_unique<KMeansModel>(*this); }
    //! \brief the 2 x K centroids
    Eigen::MatrixXd parameters() const override { return m_kmeans.centroids(); }
    void setParameters(const Eigen::MatrixXd &parameters) override;

    double zeroTemperature(const Vec2 &y) const override { return m_kmeans.assign(y).value; }
    bool hasFreeEnergy() const override { return true; }
    double freeEnergy(const Vec2 &y, double beta) const override { return m_kmeans.freeEnergy(y, beta); }
    Vec2 gradY(const Vec2 &y, double beta) const override { return m_kmeans.gradY(y, beta); }
    //! \brief z = e_k (one-hot), index = k, decoded = w_k
    LatentCode infer(const Vec2 &y) const override;
    //! \brief one Lloyd step (options are not used)
    void trainStep(const std::vector<Vec2> &data, const TrainStepOptions &options) override;

    //! F, Finf, E (z* = the cluster index k) and posterior (P_beta(k | y))
    std::string fieldProblem(const FieldRequest &request) const override;
    double fieldValue(const FieldRequest &request, const Vec2 &y) const override;
    std::optional<Vec2> fieldGradient(const FieldRequest &request, const Vec2 &y) const override;
    std::optional<Eigen::MatrixXd> evaluateField(const FieldRequest &request, const Grid &grid, int threads,
                                                 const std::atomic<bool> *cancel) const override;

private:
    KMeans m_kmeans;
};

} // namespace ebm
