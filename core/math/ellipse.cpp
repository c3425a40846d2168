#include "math/ellipse.h"

#include <cmath>

namespace ebm {

Vec2 decode(const EllipseParams &w, double z)
{
    return {w.w1 * std::cos(z), w.w2 * std::sin(z)};
}

double energy(const Vec2 &y, double z, const EllipseParams &w)
{
    const double d1 = y.x() - w.w1 * std::cos(z);
    const double d2 = y.y() - w.w2 * std::sin(z);
    return d1 * d1 + d2 * d2;
}

double energyDz(const Vec2 &y, double z, const EllipseParams &w)
{
    const double c = std::cos(z), s = std::sin(z);
    return 2.0 * ((w.w2 * w.w2 - w.w1 * w.w1) * s * c + y.x() * w.w1 * s - y.y() * w.w2 * c);
}

double energyDzz(const Vec2 &y, double z, const EllipseParams &w)
{
    const double c = std::cos(z), s = std::sin(z);
    return 2.0 * ((w.w2 * w.w2 - w.w1 * w.w1) * (c * c - s * s) + y.x() * w.w1 * c + y.y() * w.w2 * s);
}

Vec2 energyGradY(const Vec2 &y, double z, const EllipseParams &w)
{
    return 2.0 * (y - decode(w, z));
}

Vec2 energyGradW(const Vec2 &y, double z, const EllipseParams &w)
{
    const double c = std::cos(z), s = std::sin(z);
    return {-2.0 * (y.x() - w.w1 * c) * c, -2.0 * (y.y() - w.w2 * s) * s};
}

} // namespace ebm
