// The lecture's training data (MODEL.md §2): noisy samples of the ellipse at x, and the horn over x.
#pragma once

#include "math/ellipse.h"

#include <cstdint>
#include <vector>

namespace ebm {

struct DatasetSpec
{
    int count = 24;      //!< samples (per x value for the horn)
    double x = 0.0;      //!< the conditioning variable; x = 0 gives rho = (2, 1.5)
    double noise = 0.05; //!< sigma of the Gaussian noise, 1/20 in the lecture
    std::uint64_t seed = 0;

    bool operator==(const DatasetSpec &) const = default;
};

//! \brief rho(x) = (a x + b (1 - x), b x + a (1 - x)) exp(2x) with a = 1.5, b = 2
Vec2 ellipseRadii(double x);

//! \brief y = (rho1 cos theta + e1, rho2 sin theta + e2), theta ~ U[0, 2 pi), e ~ N(0, noise^2)
std::vector<Vec2> ellipseSamples(const DatasetSpec &spec);

struct HornSample
{
    double x = 0.0;
    Vec2 y = Vec2::Zero();
};

//! \brief spec.count samples at each x in {0, 1/50, ..., 1} (spec.x is ignored), one seeded stream
std::vector<HornSample> hornSamples(const DatasetSpec &spec);

} // namespace ebm
