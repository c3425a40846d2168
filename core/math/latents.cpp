#include "math/latents.h"

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
    // round() sends exact halves away from zero; floor(x + 0.5) keeps the smaller k on a tie.
    const double steps = wrapAngle(z) * m_count / kTwoPi;
    const int k = static_cast<int>(std::floor(steps + 0.5));
    return k % m_count;
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
