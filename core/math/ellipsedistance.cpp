#include "math/ellipsedistance.h"

#include "math/latents.h"

#include <algorithm>
#include <cmath>

namespace ebm {

namespace {

// Root of g(s) = (r0 z0 / (s + r0))^2 + (z1 / (s + 1))^2 - 1 on its bracket, by bisection to the
// last bit: g is monotone there, so bisection cannot fail where Newton could overshoot.
double bracketedRoot(double r0, double z0, double z1, double g)
{
    const double n0 = r0 * z0;
    double s0 = z1 - 1.0;
    double s1 = g < 0.0 ? 0.0 : std::hypot(n0, z1) - 1.0;
    double s = 0.0;
    for (int i = 0; i < 2200; ++i) {
        s = 0.5 * (s0 + s1);
        if (s == s0 || s == s1)
            break;
        const double ratio0 = n0 / (s + r0);
        const double ratio1 = z1 / (s + 1.0);
        const double gs = ratio0 * ratio0 + ratio1 * ratio1 - 1.0;
        if (gs > 0.0)
            s0 = s;
        else if (gs < 0.0)
            s1 = s;
        else
            break;
    }
    return s;
}

// Closest point of the axis-aligned ellipse with semi-axes e0 >= e1 >= 0 to (p0, p1), p >= 0.
Vec2 closestInFirstQuadrant(double e0, double e1, double p0, double p1)
{
    if (e1 == 0.0) // degenerate: the segment [-e0, e0] on the first axis
        return {std::min(p0, e0), 0.0};
    if (p1 > 0.0) {
        if (p0 > 0.0) {
            const double z0 = p0 / e0, z1 = p1 / e1;
            const double g = z0 * z0 + z1 * z1 - 1.0;
            if (g == 0.0)
                return {p0, p1};
            const double r0 = (e0 / e1) * (e0 / e1);
            const double s = bracketedRoot(r0, z0, z1, g);
            return {r0 * p0 / (s + r0), p1 / (s + 1.0)};
        }
        return {0.0, e1};
    }
    const double numer0 = e0 * p0, denom0 = e0 * e0 - e1 * e1;
    if (numer0 < denom0) {
        const double xde0 = numer0 / denom0;
        return {e0 * xde0, e1 * std::sqrt(std::max(0.0, 1.0 - xde0 * xde0))};
    }
    return {e0, 0.0};
}

// Newton on dE/dz, kept only while it lowers the energy: polishes the last ulps of an angle.
double polishMinimum(const Vec2 &y, const EllipseParams &w, double z)
{
    double e = energy(y, z, w);
    for (int i = 0; i < 4; ++i) {
        const double h = energyDzz(y, z, w);
        if (!(h > 0.0))
            break;
        const double zn = z - energyDz(y, z, w) / h;
        const double en = energy(y, zn, w);
        if (!(en < e))
            break;
        z = zn;
        e = en;
    }
    return wrapAngle(z);
}

} // namespace

ClosestPoint closestPointOnEllipse(const Vec2 &y, const EllipseParams &w)
{
    const double a = std::abs(w.w1), b = std::abs(w.w2);
    const double p0 = std::abs(y.x()), p1 = std::abs(y.y());
    Vec2 x;
    if (a >= b) {
        x = closestInFirstQuadrant(a, b, p0, p1);
    } else {
        const Vec2 swapped = closestInFirstQuadrant(b, a, p1, p0);
        x = {swapped.y(), swapped.x()};
    }
    // Angle t of the first-quadrant point, then reflected back: g(z) = (sgn y1 x0, sgn y2 x1).
    // On a degenerate axis (w1 = 0 or w2 = 0) only the other coordinate pins the angle down.
    double cosT = 1.0, sinT = 0.0;
    if (a > 0.0)
        cosT = std::clamp(x.x() / a, 0.0, 1.0);
    if (b > 0.0)
        sinT = std::clamp(x.y() / b, 0.0, 1.0);
    if (a == 0.0 && b > 0.0)
        cosT = std::sqrt(1.0 - sinT * sinT);
    else if (b == 0.0 && a > 0.0)
        sinT = std::sqrt(1.0 - cosT * cosT);
    const double s1 = (y.x() < 0.0) != (w.w1 < 0.0) ? -1.0 : 1.0;
    const double s2 = (y.y() < 0.0) != (w.w2 < 0.0) ? -1.0 : 1.0;
    double z = wrapAngle(std::atan2(s2 * sinT, s1 * cosT));
    z = polishMinimum(y, w, z);
    return {z, energy(y, z, w)};
}

std::vector<double> localMinimaOfEnergy(const Vec2 &y, const EllipseParams &w, double globalMinimum)
{
    constexpr int kScan = 128;
    double samples[kScan];
    for (int k = 0; k < kScan; ++k)
        samples[k] = energy(y, kTwoPi * k / kScan, w);
    std::vector<double> minima{globalMinimum};
    for (int k = 0; k < kScan; ++k) {
        const double prev = samples[(k + kScan - 1) % kScan], next = samples[(k + 1) % kScan];
        if (!(samples[k] <= prev && samples[k] < next))
            continue;
        // Bisection on dE/dz inside the bracket [z_{k-1}, z_{k+1}], then Newton polish.
        double lo = kTwoPi * (k - 1) / kScan, hi = kTwoPi * (k + 1) / kScan;
        if (energyDz(y, lo, w) > 0.0 || energyDz(y, hi, w) < 0.0)
            continue; // flat to rounding: nothing to place a node on
        for (int i = 0; i < 60; ++i) {
            const double mid = 0.5 * (lo + hi);
            (energyDz(y, mid, w) < 0.0 ? lo : hi) = mid;
        }
        minima.push_back(polishMinimum(y, w, 0.5 * (lo + hi)));
    }
    return minima;
}

} // namespace ebm
