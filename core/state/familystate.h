// The parameters of the family's other models (issue #7) as plain state: what the window shows and a session
// stores. The centroids and the dictionary are state, so that dragging a centroid or a training step is an edit
// that undo takes back. An empty centroid list or dictionary means "not yet drawn": fillFamilyParameters() draws it.
#pragma once

#include "math/energymodel.h"
#include "math/kmeans.h"
#include "math/sparsecoding.h"

#include <cstdint>
#include <memory>
#include <vector>

namespace ebm {

struct KMeansState
{
    int k = kLectureClusters;    //!< K, the number of centroids
    std::uint64_t seed = 1;      //!< which K distinct data points start as centroids
    std::vector<Vec2> centroids; //!< W (2 x K) column by column; empty until drawn
    bool operator==(const KMeansState &) const = default;
};

struct SparseState
{
    int atoms = kDefaultAtoms;       //!< d, the number of unit-norm atoms
    double alpha = kDefaultSparsity; //!< the weight of alpha ||z||_1
    std::uint64_t seed = 1;          //!< the seeded Normal(0, 1) draw of the first dictionary
    std::vector<Vec3> dictionary;    //!< W (3 x d), columns (constant, y1, y2) of unit norm; empty until drawn
    bool operator==(const SparseState &) const = default;
};

//! The limits of the model controls (ui/modelcontrols.cpp) and of a session.
namespace family {
constexpr int kMaxClusters = 200;
constexpr int kMaxAtoms = 64;
constexpr double kMaxAlpha = 10.0;
} // namespace family

//! \brief K centroids = K distinct points of \a data drawn by the seed (K clamped to |data|; one centroid at the
//! origin when there are no data)
std::vector<Vec2> initialCentroids(const KMeansState &state, const std::vector<Vec2> &data);
//! \brief the seeded random dictionary of d unit-norm atoms (SparseCoding::random)
std::vector<Vec3> initialDictionary(const SparseState &state);
//! \brief draws the centroids when there are none and the dictionary when its size is not d; true if it drew
bool fillFamilyParameters(KMeansState &kmeans, SparseState &sparse, const std::vector<Vec2> &data);

KMeans kmeansOf(const KMeansState &state);
SparseCoding sparseCodingOf(const SparseState &state);

//! \brief the EnergyModel of \a kind with these parameters (the parameters must be filled in)
std::unique_ptr<EnergyModel> makeEnergyModel(ModelKind kind, const EllipseEbm &ellipse, const KMeansState &kmeans,
                                             const SparseState &sparse);

} // namespace ebm
