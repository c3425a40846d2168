// Integrals over the continuous latent z in [0, 2 pi) of the Boltzmann weight exp(-beta (E - Emin)).
#pragma once

#include "math/ellipse.h"

#include <vector>

namespace ebm {

//! Averages (1/2 pi) * integral over the circle; e(z) = exp(-beta (E(y, z) - eMin)).
struct CircleMoments
{
    double meanExpm1 = 0.0; //!< of expm1(-beta (E - eMin)): keeps F_beta exact as beta -> 0
    double mass = 0.0;      //!< of e
    double cosMass = 0.0;   //!< of e cos z
    double sinMass = 0.0;   //!< of e sin z
    double cos2Mass = 0.0;  //!< of e cos^2 z
    double sin2Mass = 0.0;  //!< of e sin^2 z
};

//! \brief (1/2 pi) * integral_0^{2 pi} [expm1, 1, cos z, sin z, cos^2 z, sin^2 z] * e(z) dz by adaptive
//! Gauss-Kronrod on a mesh graded geometrically towards every peak of e (the local minima of E),
//! so that it converges for any beta in (0, inf): at beta = 1e6 a peak is ~1e-4 wide.
CircleMoments boltzmannMoments(const Vec2 &y, const EllipseParams &w, double beta, double eMin,
                               const std::vector<double> &peaks);

} // namespace ebm
