#include "math/dataset.h"

#include "math/latents.h"
#include "math/rng.h"

#include <cmath>

namespace ebm {

namespace {

constexpr double kA = 1.5;
constexpr double kB = 2.0;
constexpr int kHornSteps = 50;

Vec2 drawSample(Rng &rng, const Vec2 &rho, double noise)
{
    const double theta = kTwoPi * rng.uniform();
    const double e1 = noise * rng.normal();
    const double e2 = noise * rng.normal();
    return {rho.x() * std::cos(theta) + e1, rho.y() * std::sin(theta) + e2};
}

} // namespace

Vec2 ellipseRadii(double x)
{
    const double grow = std::exp(2.0 * x);
    return {(kA * x + kB * (1.0 - x)) * grow, (kB * x + kA * (1.0 - x)) * grow};
}

std::vector<Vec2> ellipseSamples(const DatasetSpec &spec)
{
    Rng rng(spec.seed);
    const Vec2 rho = ellipseRadii(spec.x);
    std::vector<Vec2> ys;
    ys.reserve(static_cast<size_t>(std::max(0, spec.count)));
    for (int i = 0; i < spec.count; ++i)
        ys.push_back(drawSample(rng, rho, spec.noise));
    return ys;
}

std::vector<HornSample> hornSamples(const DatasetSpec &spec)
{
    Rng rng(spec.seed);
    std::vector<HornSample> samples;
    for (int step = 0; step <= kHornSteps; ++step) {
        const double x = static_cast<double>(step) / kHornSteps;
        const Vec2 rho = ellipseRadii(x);
        for (int i = 0; i < spec.count; ++i)
            samples.push_back({x, drawSample(rng, rho, spec.noise)});
    }
    return samples;
}

} // namespace ebm
