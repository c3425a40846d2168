// Which latent values z the model ranges over: the sampled set Z_N or the whole circle.
#pragma once

#include <vector>

namespace ebm {

class LatentSpec
{
public:
    //! \brief Z_N = {2 pi k / N : k = 0..N-1}; N >= 1.
    static LatentSpec sampled(int count);
    //! \brief z over all of [0, 2 pi).
    static LatentSpec continuous();

    bool isContinuous() const { return m_count == 0; }
    //! Number of sampled latents; 0 for the continuous latent.
    int count() const { return m_count; }
    //! \brief z_k = 2 pi k / N
    double angle(int k) const;
    //! \brief the k whose z_k is nearest to z (cyclically); ties go to the smaller k.
    int nearestIndex(double z) const;
    //! \brief z snapped to the nearest sampled z_k, or z itself wrapped to [0, 2 pi) when continuous.
    double snap(double z) const;
    std::vector<double> angles() const;

    bool operator==(const LatentSpec &) const = default;

private:
    explicit LatentSpec(int count)
        : m_count(count)
    {
    }
    int m_count = 48;
};

constexpr double kTwoPi = 6.283185307179586476925286766559;

//! \brief z wrapped to [0, 2 pi)
double wrapAngle(double z);

} // namespace ebm
