#include "state/familystate.h"

#include "math/ellipsemodel.h"
#include "math/kmeansmodel.h"
#include "math/sparsecodingmodel.h"

#include <algorithm>

namespace ebm {

std::vector<Vec2> initialCentroids(const KMeansState &state, const std::vector<Vec2> &data)
{
    if (data.empty())
        return {Vec2::Zero()};
    const int k = std::clamp(state.k, 1, static_cast<int>(data.size()));
    const KMeans kmeans = KMeans::fromData(data, k, state.seed);
    std::vector<Vec2> centroids;
    for (int j = 0; j < kmeans.k(); ++j)
        centroids.emplace_back(kmeans.centroids().col(j));
    return centroids;
}

std::vector<Vec3> initialDictionary(const SparseState &state)
{
    const SparseCoding coding = SparseCoding::random(state.atoms, state.alpha, state.seed);
    std::vector<Vec3> atoms;
    for (int j = 0; j < coding.atoms(); ++j)
        atoms.emplace_back(coding.dictionary().col(j));
    return atoms;
}

bool fillFamilyParameters(KMeansState &kmeans, SparseState &sparse, const std::vector<Vec2> &data)
{
    bool drew = false;
    if (kmeans.centroids.empty()) {
        kmeans.centroids = initialCentroids(kmeans, data);
        drew = true;
    }
    if (static_cast<int>(sparse.dictionary.size()) != sparse.atoms) {
        sparse.dictionary = initialDictionary(sparse);
        drew = true;
    }
    return drew;
}

KMeans kmeansOf(const KMeansState &state)
{
    Eigen::Matrix2Xd w(2, static_cast<Eigen::Index>(std::max<size_t>(1, state.centroids.size())));
    w.setZero();
    for (size_t j = 0; j < state.centroids.size(); ++j)
        w.col(static_cast<Eigen::Index>(j)) = state.centroids[j];
    return KMeans(w);
}

SparseCoding sparseCodingOf(const SparseState &state)
{
    if (state.dictionary.empty())
        return SparseCoding::random(std::max(1, state.atoms), state.alpha, state.seed);
    Eigen::Matrix3Xd w(3, static_cast<Eigen::Index>(state.dictionary.size()));
    for (size_t j = 0; j < state.dictionary.size(); ++j)
        w.col(static_cast<Eigen::Index>(j)) = state.dictionary[j];
    return SparseCoding(w, state.alpha);
}

std::unique_ptr<EnergyModel> makeEnergyModel(ModelKind kind, const EllipseEbm &ellipse, const KMeansState &kmeans,
                                             const SparseState &sparse)
{
    switch (kind) {
    case ModelKind::KMeans:
        return std::make_unique<KMeansModel>(kmeansOf(kmeans));
    case ModelKind::SparseCoding:
        return std::make_unique<SparseCodingModel>(sparseCodingOf(sparse));
    case ModelKind::Ellipse:
        break;
    }
    return std::make_unique<EllipseModel>(ellipse);
}

} // namespace ebm
