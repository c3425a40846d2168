// A seeded random stream that gives the same numbers on every platform and compiler
// (the standard distributions are implementation-defined, so they are not used).
#pragma once

#include <cstdint>

namespace ebm {

//! xoshiro256** seeded through splitmix64; uniform and normal variates built on it by fixed formulas.
class Rng
{
public:
    explicit Rng(std::uint64_t seed);

    std::uint64_t next();
    //! \brief uniform on [0, 1) with 53 random bits
    double uniform();
    //! \brief standard normal, by Marsaglia's polar method (integer stream, then sqrt and log only)
    double normal();

private:
    std::uint64_t m_s[4];
    double m_spare = 0.0;
    bool m_hasSpare = false;
};

} // namespace ebm
