#include "math/modelsection.h"

#include <cmath>

namespace ebm {

SectionProfile modelSectionProfile(const EnergyModel &model, const SectionLine &line, const std::vector<double> &betas,
                                   int samples)
{
    // The points and the coordinate s exactly as the ellipse's profile places them.
    SectionProfile profile = sectionProfile(EllipseEbm(), line, {}, samples);
    for (double beta : betas) {
        if (!std::isinf(beta) && !model.hasFreeEnergy())
            continue;
        SectionCurve curve{beta, {}};
        curve.values.reserve(profile.points.size());
        for (const Vec2 &p : profile.points)
            curve.values.push_back(std::isinf(beta) ? model.zeroTemperature(p) : model.freeEnergy(p, beta));
        profile.curves.push_back(std::move(curve));
    }
    if (profile.curves.empty()) // sparse coding asked only for finite betas: its one field is F_inf
        profile = modelSectionProfile(model, line, {kInfiniteBeta}, samples);
    return profile;
}

} // namespace ebm
