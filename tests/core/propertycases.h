// Random parameter sets for the property tests (MODEL.md §5: no NaN or Inf for beta in [1e-6, 1e6] or inf, any
// finite w, |y| <= 1e3), drawn with the project's seeded generator. Every case comes from its own seed, so a failure
// prints the one environment variable that replays it alone.
#pragma once

#include "math/ellipseebm.h"
#include "math/rng.h"

#include <QByteArray>
#include <QString>
#include <QTest>
#include <QtGlobal>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>

namespace ebmtest {

//! One random parameter set: the model, an observation and an inverse temperature.
struct PropertyCase
{
    std::uint64_t seed = 0;
    ebm::EllipseParams w;
    int count = 48; //!< N; 0 for the continuous latent
    ebm::Vec2 y = ebm::Vec2::Zero();
    double beta = 1.0;
    ebm::Rng rng{0}; //!< the case's own stream, for whatever else a test draws (a second y, a z, ...)

    ebm::LatentSpec latents() const
    {
        return count == 0 ? ebm::LatentSpec::continuous() : ebm::LatentSpec::sampled(count);
    }
    //! Everything needed to replay it, numbers to 17 digits.
    QString describe() const
    {
        return QStringLiteral("EBM_PROPERTY_SEED=%1 (w = (%2, %3), N = %4, y = (%5, %6), beta = %7)")
            .arg(seed)
            .arg(w.w1, 0, 'g', 17)
            .arg(w.w2, 0, 'g', 17)
            .arg(count == 0 ? QStringLiteral("continuous") : QString::number(count))
            .arg(y.x(), 0, 'g', 17)
            .arg(y.y(), 0, 'g', 17)
            .arg(beta, 0, 'g', 17);
    }
};

inline double between(ebm::Rng &rng, double lo, double hi)
{
    return lo + (hi - lo) * rng.uniform();
}

//! \brief 10^u with u uniform in [log10 lo, log10 hi]
inline double logUniform(ebm::Rng &rng, double lo, double hi)
{
    return std::pow(10.0, between(rng, std::log10(lo), std::log10(hi)));
}

//! \brief beta log-uniform in [1e-6, 1e6], one case in 16 exactly inf and one in 16 at an end of the range
inline double randomBeta(ebm::Rng &rng)
{
    const double pick = rng.uniform();
    if (pick < 1.0 / 16)
        return ebm::kInfiniteBeta;
    if (pick < 2.0 / 16)
        return rng.uniform() < 0.5 ? 1e-6 : 1e6;
    return logUniform(rng, 1e-6, 1e6);
}

//! \brief one decoder weight: zero, tiny, huge (up to the command line's clamp 1e6) or ordinary, either sign
inline double randomWeight(ebm::Rng &rng)
{
    const double pick = rng.uniform();
    const double sign = rng.uniform() < 0.3 ? -1.0 : 1.0;
    if (pick < 0.1)
        return 0.0;
    if (pick < 0.2)
        return sign * logUniform(rng, 1e-12, 1e-3);
    if (pick < 0.3)
        return sign * logUniform(rng, 10.0, 1e6);
    return sign * between(rng, 0.05, 4.0);
}

//! \brief y in the view, far out (|y| up to 1e3), on the manifold, at the centre or on an axis
inline ebm::Vec2 randomObservation(ebm::Rng &rng, const ebm::EllipseParams &w)
{
    const double pick = rng.uniform();
    if (pick < 0.5)
        return {between(rng, -3.0, 3.0), between(rng, -3.0, 3.0)};
    if (pick < 0.7) {
        const double r = logUniform(rng, 1e-3, 1e3), a = between(rng, 0.0, 2.0 * M_PI);
        return {r * std::cos(a), r * std::sin(a)};
    }
    if (pick < 0.85) {
        const double z = between(rng, 0.0, 2.0 * M_PI);
        return {w.w1 * std::cos(z), w.w2 * std::sin(z)};
    }
    if (pick < 0.9)
        return ebm::Vec2::Zero();
    const double t = between(rng, -1e3, 1e3);
    return rng.uniform() < 0.5 ? ebm::Vec2(t, 0.0) : ebm::Vec2(0.0, t);
}

//! \brief N from 1 to 4096 log-uniformly (1 and 2 included), or the continuous latent with probability
//! \a continuousShare (it integrates by quadrature: up to ~1000 times the cost of N = 48)
inline int randomCount(ebm::Rng &rng, double continuousShare)
{
    if (rng.uniform() < continuousShare)
        return 0;
    return std::clamp(static_cast<int>(std::floor(logUniform(rng, 1.0, 4097.0))), 1, 4096);
}

inline PropertyCase drawCase(std::uint64_t seed, double continuousShare)
{
    PropertyCase c;
    c.seed = seed;
    c.rng = ebm::Rng(seed);
    c.w = {randomWeight(c.rng), randomWeight(c.rng)};
    if (c.rng.uniform() < 0.1)
        c.w.w2 = c.rng.uniform() < 0.5 ? c.w.w1 : -c.w.w1; // a circle: ties everywhere at the centre
    c.count = randomCount(c.rng, continuousShare);
    c.y = randomObservation(c.rng, c.w);
    c.beta = randomBeta(c.rng);
    return c;
}

//! \brief how many cases a property test draws: \a normal, or fewer (\a normal / \a sanitizerDivisor) in a
//! sanitizer build, whose instrumentation makes every case several times slower; EBM_PROPERTY_CASES overrides both
inline int propertyCaseCount(int normal, int sanitizerDivisor)
{
    bool ok = false;
    const int forced = qEnvironmentVariableIntValue("EBM_PROPERTY_CASES", &ok);
    if (ok && forced > 0)
        return forced;
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
    return std::max(1, normal / sanitizerDivisor);
#else
    Q_UNUSED(sanitizerDivisor);
    return normal;
#endif
}

//! \brief the seed EBM_PROPERTY_SEED asks to replay alone, if any
inline std::optional<std::uint64_t> replaySeed()
{
    const QByteArray text = qgetenv("EBM_PROPERTY_SEED");
    bool ok = false;
    const std::uint64_t seed = text.toULongLong(&ok);
    return ok ? std::optional<std::uint64_t>(seed) : std::nullopt;
}

//! \brief the seed of case \a index of the test numbered \a salt
inline std::uint64_t caseSeed(std::uint64_t salt, int index)
{
    return salt * 0x9e3779b97f4a7c15ULL + static_cast<std::uint64_t>(index);
}

} // namespace ebmtest

//! QVERIFY2 that names the case (and how to replay it) when the condition fails. Unlike QVERIFY2 (Qt 6.4), the
//! message is only built on failure: formatting it for every check would cost more than the checks.
#define EBM_PROPERTY(cond, c, what)                                                                                    \
    do {                                                                                                               \
        if (!(cond)) {                                                                                                 \
            QTest::qVerify(false, #cond, qPrintable(QStringLiteral("%1\n   case %2").arg((what), (c).describe())),     \
                           __FILE__, __LINE__);                                                                        \
            return;                                                                                                    \
        }                                                                                                              \
    } while (false)
