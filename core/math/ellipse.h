// The ellipse decoder and its energy (MODEL.md §1). Plain C++ + Eigen: no Qt here.
#pragma once

#include <Eigen/Core>

namespace ebm {

using Vec2 = Eigen::Vector2d;

//! Decoder parameters w = (w1, w2); the defaults are the trained manifold of the lecture.
struct EllipseParams
{
    double w1 = 2.0;
    double w2 = 1.5;

    bool operator==(const EllipseParams &) const = default;
};

//! \brief g_w(z) = (w1 cos z, w2 sin z)
Vec2 decode(const EllipseParams &w, double z);

//! \brief E(y, z) = (y1 - w1 cos z)^2 + (y2 - w2 sin z)^2
double energy(const Vec2 &y, double z, const EllipseParams &w);

//! \brief dE/dz = 2[(w2^2 - w1^2) sin z cos z + y1 w1 sin z - y2 w2 cos z]
double energyDz(const Vec2 &y, double z, const EllipseParams &w);

//! \brief d2E/dz2 = 2[(w2^2 - w1^2) cos 2z + y1 w1 cos z + y2 w2 sin z]
double energyDzz(const Vec2 &y, double z, const EllipseParams &w);

//! \brief grad_y E = 2 (y - g(z))
Vec2 energyGradY(const Vec2 &y, double z, const EllipseParams &w);

//! \brief grad_w E = (-2 (y1 - w1 cos z) cos z, -2 (y2 - w2 sin z) sin z)
Vec2 energyGradW(const Vec2 &y, double z, const EllipseParams &w);

} // namespace ebm
