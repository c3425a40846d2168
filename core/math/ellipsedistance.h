// Exact zero-temperature inference for the continuous latent: the closest point of the ellipse.
#pragma once

#include "math/ellipse.h"

#include <vector>

namespace ebm {

struct ClosestPoint
{
    double z = 0.0;      //!< the minimising angle in [0, 2 pi)
    double energy = 0.0; //!< E(y, z) = squared distance from y to the ellipse
};

//! \brief min over z in [0, 2 pi) of E(y, z), the squared distance to the ellipse, found exactly
//! by a bracketed root search (robust for any w, zeros and negatives included).
ClosestPoint closestPointOnEllipse(const Vec2 &y, const EllipseParams &w);

//! \brief every local minimum of E(y, .) on the circle, the known global one first, refined to
//! machine precision; used to place quadrature nodes where exp(-beta E) peaks.
std::vector<double> localMinimaOfEnergy(const Vec2 &y, const EllipseParams &w, double globalMinimum);

} // namespace ebm
