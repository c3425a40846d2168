// One interface for the lecture's family of latent-variable EBMs (issue #7, MODEL.md §1 and §4): the ellipse,
// K-means and sparse coding all have E(y, z) = C(y, Dec(z)) + R(z), inference z_check = argmin_z E, F_inf(y) =
// E(y, z_check), F_beta where the latent set allows it, and a training step on L = mean F(Y). The field engine,
// the trainer panels, the exporters and the command line are written once against EnergyModel. No Qt here.
//
// Fields use the ellipse's FieldRequest {kind, beta, z}. What z* means per model:
//   ellipse  the latent angle (snapped to Z_N)        K-means  the cluster index k (a whole number in [0, K))
//   sparse   unused: sparse coding has only the F_inf field (F_beta over z in R^d is not defined by MODEL.md)
#pragma once

#include "math/ellipse.h"
#include "math/field.h"
#include "math/grid.h"

#include <Eigen/Core>

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace ebm {

enum class ModelKind {
    Ellipse,      //!< g(z) = (w1 cos z, w2 sin z), z on Z_N or the circle
    KMeans,       //!< Dec(z) = W z, z one-hot over K
    SparseCoding, //!< Dec(z) = W z, z in R^d, R(z) = alpha ||z||_1, y lifted to (1, y)
};

//! \brief the model named ellipse, kmeans or sparse (the command line's names); none else
std::optional<ModelKind> modelKindFromName(const std::string &name);
//! \brief the inverse of modelKindFromName
std::string modelKindName(ModelKind kind);

//! The lecture's data for K-means and sparse coding: 50 samples of the ellipse at x = 0 (MODEL.md §2, sigma =
//! 1/20). The slides show Y as 50 x 2 in the plane (and y_dot = (1, y), 50 x 3): unconditional points, so the horn
//! (which carries x) is not it; the 24-point default set is the ellipse's, the same generator with n = 50.
constexpr int kFamilyDataCount = 50;
//! \brief ellipseSamples({count, x = 0, noise = 0.05, seed})
std::vector<Vec2> familyData(std::uint64_t seed, int count = kFamilyDataCount);

//! The minimiser of E(y, .) for one observation, in every model's terms.
struct LatentCode
{
    //! ellipse: (z_check), one angle; K-means: the one-hot e_k (length K); sparse: z_check_2 (length d, at most two
    //! nonzero entries)
    Eigen::VectorXd z;
    int index = -1;               //!< ellipse's sampled k, K-means' k; -1 otherwise
    Eigen::VectorXd decoded;      //!< Dec(z) where E measures: R^2, or R^3 for sparse (W z ~ y_dot)
    Vec2 decodedY = Vec2::Zero(); //!< Dec(z) drawn in the y-plane (sparse: the y components of W z)
    double energy = 0.0;          //!< F_inf(y) = E(y, z_check)
};

struct TrainStepOptions
{
    double learningRate = 0.1;   //!< eta of the gradient steps (not used by K-means)
    double beta = kInfiniteBeta; //!< ellipse: descend mean F_beta (inf: F_inf)
};

class EnergyModel
{
public:
    virtual ~EnergyModel() = default;
    virtual ModelKind kind() const = 0;
    virtual std::unique_ptr<EnergyModel> clone() const = 0;

    //! The trainable parameters as a matrix, one column per decoder part: ellipse 2 x 1 (w1, w2); K-means 2 x K
    //! (the centroids); sparse 3 x d (the atoms, rows: the constant, y1, y2).
    virtual Eigen::MatrixXd parameters() const = 0;
    //! Replaces them (sparse: columns renormalised). Throws std::invalid_argument on a wrong shape or bad value.
    virtual void setParameters(const Eigen::MatrixXd &parameters) = 0;

    //! \brief F_inf(y) = min_z E(y, z)
    virtual double zeroTemperature(const Vec2 &y) const = 0;
    //! True when F_beta is defined (ellipse, K-means); false for sparse coding.
    virtual bool hasFreeEnergy() const = 0;
    //! \brief F_beta(y) = -(1/beta) log mean_z exp(-beta E(y, z)); F_inf at beta = inf. Throws std::invalid_argument
    //! for beta <= 0 or when !hasFreeEnergy().
    virtual double freeEnergy(const Vec2 &y, double beta) const = 0;
    //! \brief grad_y F_beta (beta = inf: grad_y F_inf, which is all sparse coding has)
    virtual Vec2 gradY(const Vec2 &y, double beta) const = 0;
    //! \brief z_check = argmin_z E(y, z), Dec(z_check) and F_inf(y)
    virtual LatentCode infer(const Vec2 &y) const = 0;
    //! \brief L = (1/|Y|) sum_i F_inf(y_i), the energy loss at zero temperature (what K-means and sparse train on)
    virtual double loss(const std::vector<Vec2> &data) const;
    //! One training step on \a data: ellipse w <- w - eta mean grad_w F_beta; K-means one Lloyd step; sparse
    //! W <- normalise(W - eta mean dE(y, z_check_2)/dW). Throws std::invalid_argument on empty data.
    virtual void trainStep(const std::vector<Vec2> &data, const TrainStepOptions &options) = 0;

    //! An empty string when \a request can be evaluated for this model, else what is wrong with it.
    virtual std::string fieldProblem(const FieldRequest &request) const = 0;
    //! \brief the requested field at y, the reference path (request assumed valid)
    virtual double fieldValue(const FieldRequest &request, const Vec2 &y) const = 0;
    //! \brief grad_y of the requested field at y; none for the posterior (no arrows)
    virtual std::optional<Vec2> fieldGradient(const FieldRequest &request, const Vec2 &y) const;
    //! \brief values(j, i) = fieldValue at (grid.y1At(i), grid.y2At(j)), rows shared among \a threads (<= 0: every
    //! hardware thread); nothing if *cancel became true. Models override it with their fast paths.
    virtual std::optional<Eigen::MatrixXd> evaluateField(const FieldRequest &request, const Grid &grid, int threads,
                                                         const std::atomic<bool> *cancel) const;
};

//! \brief values(j, i) = the requested field at (grid.y1At(i), grid.y2At(j)), by the model's fast path, equal to
//! fieldValue to 1e-9 relative; nothing if *cancel became true. Throws std::invalid_argument when
//! model.fieldProblem(request) is not empty or the grid is unusable.
std::optional<Eigen::MatrixXd> evaluateModelField(const EnergyModel &model, const FieldRequest &request,
                                                  const Grid &grid, int threads = 1,
                                                  const std::atomic<bool> *cancel = nullptr);

//! \brief grad_y of the requested field at every grid point (row-major in y2, as fieldGradients); empty for the
//! posterior; nothing if *cancel became true
std::optional<std::vector<GradientSample>> modelFieldGradients(const EnergyModel &model, const FieldRequest &request,
                                                               const Grid &grid,
                                                               const std::atomic<bool> *cancel = nullptr);

} // namespace ebm
