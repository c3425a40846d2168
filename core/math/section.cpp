#include "math/section.h"

namespace ebm {

namespace {

// Measured along y1 = 0 through the default model (w = (2, 1.5), N = 48), 601 samples of y2 in [-3, 3]:
//   beta = inf  minima at y2 = +-1.5,  F = 0,     centre 2.25   (bump 2.25)
//   beta = 1    minima at y2 = +-1.38, F = 1.90,  centre 2.94   (bump 1.04): still two wells, shallower
//   beta = 0.5  minima at y2 = +-1.03, bump 0.17; beta = 0.4 bump 0.007; from beta ~ 0.3 on, a single minimum
//   beta = 0.1  single minimum at y2 = 0, F = 3.106 (hot limit mean_z E = 3.125 + y2^2)
// beta = 1 sits well inside the two-well regime and beta = 0.1 well inside the one-well regime, so both shapes stay
// unmistakable on screen; the default current beta (2.5) falls between cold and warm.
constexpr double kWarmBeta = 1.0;
constexpr double kHotBeta = 0.1;

} // namespace

SectionProfile sectionProfile(const EllipseEbm &model, const SectionLine &line, const std::vector<double> &betas,
                              int samples, const std::atomic<bool> *cancel)
{
    SectionProfile profile;
    profile.curves.reserve(betas.size());
    for (double beta : betas)
        profile.curves.push_back({beta, {}});
    if (samples < 2)
        return profile;

    const Vec2 delta = line.to - line.from;
    const bool vertical = delta.x() == 0.0 && delta.y() != 0.0;
    const bool horizontal = delta.y() == 0.0 && delta.x() != 0.0;
    profile.s.reserve(static_cast<size_t>(samples));
    profile.points.reserve(static_cast<size_t>(samples));
    for (int i = 0; i < samples; ++i) {
        // The last point is `to` itself: from + 1.0 * delta can miss it by an ulp.
        const Vec2 p = i == samples - 1 ? line.to : Vec2(line.from + delta * (static_cast<double>(i) / (samples - 1)));
        profile.points.push_back(p);
        if (vertical)
            profile.s.push_back(p.y());
        else if (horizontal)
            profile.s.push_back(p.x());
        else
            profile.s.push_back((p - line.from).norm());
    }
    for (SectionCurve &curve : profile.curves) {
        curve.values.reserve(profile.points.size());
        for (const Vec2 &p : profile.points) {
            if (cancel && cancel->load(std::memory_order_relaxed))
                return profile;
            curve.values.push_back(model.freeEnergy(p, curve.beta));
        }
    }
    return profile;
}

std::vector<double> referenceBetas()
{
    return {kInfiniteBeta, kWarmBeta, kHotBeta};
}

} // namespace ebm
