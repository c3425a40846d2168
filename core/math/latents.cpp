#include "math/latents.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace ebm {

LatentSpec LatentSpec::sampled(int count)
{
    if (count < 1)
        throw std::invalid_argument("the number of latents must be at least 1");
    return LatentSpec(count);
}

LatentSpec LatentSpec::continuous()
{
    return LatentSpec(0);
}

double LatentSpec::angle(int k) const
{
    return kTwoPi * k / m_count;
}

int LatentSpec::nearestIndex(double z) const
{
    if (isContinuous())
        return -1;
    // The two neighbours of z; exactly half-way goes to the smaller index, also across 2 pi (then k = 0).
    const double steps = wrapAngle(z) * m_count / kTwoPi;
    const int below = static_cast<int>(std::floor(steps)) % m_count;
    const int above = (below + 1) % m_count;
    const double toBelow = steps - std::floor(steps), toAbove = 1.0 - toBelow;
    if (toBelow != toAbove)
        return toBelow < toAbove ? below : above;
    return std::min(below, above);
}

double LatentSpec::snap(double z) const
{
    return isContinuous() ? wrapAngle(z) : angle(nearestIndex(z));
}

std::vector<double> LatentSpec::angles() const
{
    std::vector<double> zs(static_cast<size_t>(m_count));
    for (int k = 0; k < m_count; ++k)
        zs[static_cast<size_t>(k)] = angle(k);
    return zs;
}

double wrapAngle(double z)
{
    if (!std::isfinite(z))
        return 0.0;
    double r = std::fmod(z, kTwoPi);
    if (r < 0)
        r += kTwoPi;
    return r >= kTwoPi ? 0.0 : r;
}

} // namespace ebm
