#include "math/quadrature.h"

#include "math/latents.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

namespace ebm {

namespace {

using Moments = std::array<double, 6>;

// Gauss-Kronrod 7/15 nodes and weights (QUADPACK qk15).
constexpr std::array<double, 8> kXgk = {0.991455371120812639206854697526329, 0.949107912342758524526189684047851,
                                        0.864864423359769072789712788640926, 0.741531185599394439863864773280788,
                                        0.586087235467691130294144845693013, 0.405845151377397166906606412076961,
                                        0.207784955007898467600689403773245, 0.0};
constexpr std::array<double, 8> kWgk = {0.022935322010529224963732008058970, 0.063092092629978553290700663189204,
                                        0.104790010322250183839876322541518, 0.140653259715525918745189590510238,
                                        0.169004726639267902826583426598550, 0.190350578064785409913256402421014,
                                        0.204432940075298892414161999234649, 0.209482141084727828012999174891714};
constexpr std::array<double, 4> kWg = {0.129484966168869693270611432679082, 0.279705391489276667901467771423780,
                                       0.381830050505118944950369775488975, 0.417959183673469387755102040816327};

struct Integrand
{
    Vec2 y;
    EllipseParams w;
    double beta;
    double eMin;
    // Relative rounding noise of e: beta (E - eMin) cancels digits of E's terms. No error estimate can fall
    // below it, so refining past it would only burn time; it costs F at most that much divided by beta.
    double noise;

    Moments operator()(double z) const
    {
        const double x = -beta * std::max(0.0, energy(y, z, w) - eMin);
        const double e = std::exp(x);
        const double c = std::cos(z), s = std::sin(z);
        return {std::expm1(x), e, e * c, e * s, e * c * c, e * s * s};
    }
};

struct Piece
{
    Moments value{};
    double error = 0.0; // of the mass component, which sets the tolerance
};

Piece gaussKronrod(const Integrand &f, double a, double b)
{
    const double centre = 0.5 * (a + b), half = 0.5 * (b - a);
    Moments kronrod{}, gauss{};
    auto accumulate = [&](Moments &into, const Moments &v, double weight) {
        for (size_t i = 0; i < v.size(); ++i)
            into[i] += weight * v[i];
    };
    const Moments mid = f(centre);
    accumulate(kronrod, mid, kWgk[7]);
    accumulate(gauss, mid, kWg[3]);
    for (size_t j = 0; j < 7; ++j) {
        const double dx = half * kXgk[j];
        Moments both = f(centre - dx);
        accumulate(both, f(centre + dx), 1.0);
        accumulate(kronrod, both, kWgk[j]);
        if (j % 2 == 1)
            accumulate(gauss, both, kWg[j / 2]);
    }
    Piece piece;
    for (size_t i = 0; i < kronrod.size(); ++i)
        piece.value[i] = half * kronrod[i];
    piece.error = std::abs(half * (kronrod[1] - gauss[1]));
    return piece;
}

void integrateAdaptive(const Integrand &f, double a, double b, const Piece &whole, double tolerance, int depth,
                       Moments &sum)
{
    if (whole.error <= std::max(tolerance, f.noise * std::abs(whole.value[1])) || depth >= 20) {
        for (size_t i = 0; i < sum.size(); ++i)
            sum[i] += whole.value[i];
        return;
    }
    const double m = 0.5 * (a + b);
    integrateAdaptive(f, a, m, gaussKronrod(f, a, m), 0.5 * tolerance, depth + 1, sum);
    integrateAdaptive(f, m, b, gaussKronrod(f, m, b), 0.5 * tolerance, depth + 1, sum);
}

// Breakpoints on [start, start + 2 pi]: uniform ones plus, around every peak, distances growing
// geometrically from the narrowest possible peak width, so each piece sees a smooth integrand.
std::vector<double> gradedMesh(double start, double narrowest, const std::vector<double> &peaks)
{
    std::vector<double> points;
    constexpr int kUniform = 16;
    for (int k = 0; k <= kUniform; ++k)
        points.push_back(start + kTwoPi * k / kUniform);
    if (narrowest < kTwoPi / kUniform) {
        for (double peak : peaks) {
            const double p = start + wrapAngle(peak - start);
            points.push_back(p);
            for (double d = narrowest; d < M_PI; d *= 1.6) {
                for (double q : {p - d, p + d})
                    points.push_back(start + wrapAngle(q - start));
            }
        }
    }
    std::sort(points.begin(), points.end());
    points.erase(std::unique(points.begin(), points.end(),
                             [&](double u, double v) { return v - u < std::min(1e-3 * narrowest, 1e-9); }),
                 points.end());
    points.back() = start + kTwoPi;
    return points;
}

} // namespace

CircleMoments boltzmannMoments(const Vec2 &y, const EllipseParams &w, double beta, double eMin,
                               const std::vector<double> &peaks)
{
    const double scale = y.squaredNorm() + w.w1 * w.w1 + w.w2 * w.w2;
    const double epsilon = std::numeric_limits<double>::epsilon();
    const Integrand f{y, w, beta, eMin, 64.0 * epsilon + 16.0 * beta * epsilon * scale};
    // |d2E/dz2| <= 2(|w2^2 - w1^2| + |y1 w1| + |y2 w2|): no peak of e is narrower than 1/sqrt(beta * that).
    const double curvature =
        2.0 * (std::abs(w.w2 * w.w2 - w.w1 * w.w1) + std::abs(y.x() * w.w1) + std::abs(y.y() * w.w2));
    // Floored: angles carry ~16 digits, so no mesh finer than 1e-10 rad means anything; without the floor an
    // overflowing curvature * beta (|w| ~ 1e151) gives 0 and the graded mesh never reaches pi.
    const double narrowest = curvature * beta > 0.0 ? std::max(1e-10, 1.0 / std::sqrt(curvature * beta)) : INFINITY;
    const double start = peaks.empty() ? 0.0 : peaks.front();
    const std::vector<double> mesh = gradedMesh(start, narrowest, peaks);

    std::vector<Piece> pieces;
    double massEstimate = 0.0;
    for (size_t i = 0; i + 1 < mesh.size(); ++i) {
        pieces.push_back(gaussKronrod(f, mesh[i], mesh[i + 1]));
        massEstimate += pieces.back().value[1];
    }
    Moments sum{};
    for (size_t i = 0; i < pieces.size(); ++i) {
        const double share = (mesh[i + 1] - mesh[i]) / kTwoPi;
        integrateAdaptive(f, mesh[i], mesh[i + 1], pieces[i], 1e-15 * massEstimate * share + 1e-300, 0, sum);
    }
    const double perRadian = 1.0 / kTwoPi;
    return {sum[0] * perRadian, sum[1] * perRadian, sum[2] * perRadian,
            sum[3] * perRadian, sum[4] * perRadian, sum[5] * perRadian};
}

} // namespace ebm
