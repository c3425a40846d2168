// Any of the model's scalar fields evaluated over a grid (the double-precision reference path).
#pragma once

#include "math/ellipseebm.h"
#include "math/grid.h"

#include <Eigen/Core>

#include <atomic>
#include <optional>
#include <string>
#include <vector>

namespace ebm {

enum class FieldKind {
    FreeEnergy,      //!< F_beta(y) (F_inf at beta = inf)
    ZeroTemperature, //!< F_inf(y)
    Energy,          //!< E(y, z*) for one latent z*
    Posterior,       //!< P_beta(z* | y) for one latent z*
};

struct FieldRequest
{
    FieldKind kind = FieldKind::FreeEnergy;
    double beta = 1.0;
    double z = 0.0; //!< z* for Energy and Posterior, snapped to the nearest sampled latent

    bool operator==(const FieldRequest &) const = default;
};

//! \brief the value of the requested field at y
double fieldValue(const EllipseEbm &model, const FieldRequest &request, const Vec2 &y);

//! An empty string when the request can be evaluated for this model, else what is wrong with it.
std::string fieldProblem(const EllipseEbm &model, const FieldRequest &request);

//! \brief values(j, i) = field at (grid.y1At(i), grid.y2At(j)); nothing if *cancel became true meanwhile
std::optional<Eigen::MatrixXd> evaluateField(const EllipseEbm &model, const FieldRequest &request, const Grid &grid,
                                             const std::atomic<bool> *cancel = nullptr);

struct GradientSample
{
    Vec2 at = Vec2::Zero();
    Vec2 gradient = Vec2::Zero(); //!< grad_y of the field at `at`
};

//! \brief grad_y of the requested field at every grid point (F_beta: 2(y - y_bar), F_inf: 2(y - g(z_check)),
//! E: 2(y - g(z*))); empty for the posterior, which has no arrows; nothing if *cancel became true
std::optional<std::vector<GradientSample>> fieldGradients(const EllipseEbm &model, const FieldRequest &request,
                                                          const Grid &grid, const std::atomic<bool> *cancel = nullptr);

//! Short names as used on the command line: F, Finf, E, posterior.
std::optional<FieldKind> fieldKindFromName(const std::string &name);
std::string fieldKindName(FieldKind kind);

} // namespace ebm
