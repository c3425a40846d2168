#include "math/landscaperange.h"

#include <algorithm>
#include <cmath>

namespace ebm {

namespace {

// How far beyond the largest data coordinate the range reaches: an ellipse through noisy data has w a little
// above the points' extent, and the valley around it should be seen whole.
constexpr double kDataReach = 1.3;
constexpr double kPathMargin = 0.1; // of the width, around the path

//! The 1-2-5 step at or above width / 6: a tick step that also rounds the ends.
double niceStep(double width)
{
    const double raw = width / 6.0;
    const double decade = std::pow(10.0, std::floor(std::log10(raw)));
    for (double m : {1.0, 2.0, 5.0}) {
        if (m * decade >= raw)
            return m * decade;
    }
    return 10.0 * decade;
}

} // namespace

WRange landscapeRange(const std::vector<Vec2> &data, const std::vector<EllipseParams> &path)
{
    double scale = 0.0;
    for (const Vec2 &y : data) {
        if (y.allFinite())
            scale = std::max(scale, y.cwiseAbs().maxCoeff());
    }
    double lo = 0.0, hi = scale > 0.0 ? kDataReach * scale : 1.0;
    double pathLo = lo, pathHi = hi;
    bool anyPath = false;
    for (const EllipseParams &w : path) {
        for (double v : {w.w1, w.w2}) {
            if (!std::isfinite(v))
                continue;
            pathLo = anyPath ? std::min(pathLo, v) : v;
            pathHi = anyPath ? std::max(pathHi, v) : v;
            anyPath = true;
        }
    }
    if (anyPath) {
        // The margin is a fraction of the width it ends up with; one fixed-point step from the unpadded width is
        // within a few percent of it and keeps the rule simple.
        const double width = std::max(hi, pathHi) - std::min(lo, pathLo);
        const double pad = kPathMargin * width / (1.0 - 2.0 * kPathMargin);
        lo = std::min(lo, pathLo - pad);
        hi = std::max(hi, pathHi + pad);
    }
    const double step = niceStep(hi - lo);
    return WRange{std::floor(lo / step) * step, std::ceil(hi / step) * step};
}

} // namespace ebm
