// Inference over >= 1e5 random parameter sets (propertycases.h): F_inf, F_beta, the mean energy, the posterior and
// both gradients are finite, and every inequality of MODEL.md §1 holds, each to a slack of a few rounding errors.
// A failure prints EBM_PROPERTY_SEED=..., which replays that case alone. Sanitizer builds draw a tenth of the cases
// (each is ~5x slower there, and the fixed seeds keep that tenth a prefix of the full set); EBM_PROPERTY_CASES=n
// draws n.
#include "math/ellipseebm.h"
#include "propertycases.h"

#include <QElapsedTimer>
#include <QTest>

#include <cmath>
#include <ctime>
#include <limits>

using ebm::EllipseEbm;
using ebm::Inference;
using ebm::Vec2;
using ebmtest::PropertyCase;

namespace {

constexpr double kEps = std::numeric_limits<double>::epsilon();
//! The continuous latent integrates by quadrature at up to ~1000x the cost of N = 48: it gets 1 case in 50.
constexpr double kContinuousShare = 0.02;

//! Every energy carries a rounding of a few eps * (|y|^2 + |w|^2) and a sum over N latents up to N eps more
//! (tst_freeenergybounds.cpp); the quadrature of the continuous latent is held to ~1e-15, counted as N = 64.
double slack(const PropertyCase &c)
{
    const double n = c.count > 0 ? c.count : 64;
    return (64.0 + n) * kEps * (1.0 + c.y.squaredNorm() + c.w.w1 * c.w.w1 + c.w.w2 * c.w.w2);
}

//! D >= max_z E - min_z E, read off E = |y|^2 + w1^2 cos^2 z + w2^2 sin^2 z - 2 y1 w1 cos z - 2 y2 w2 sin z.
double rangeBound(const PropertyCase &c)
{
    const auto &[w1, w2] = c.w;
    return std::abs(w1 * w1 - w2 * w2) + 4.0 * std::abs(c.y.x() * w1) + 4.0 * std::abs(c.y.y() * w2);
}

bool allFinite(const Inference &r)
{
    return std::isfinite(r.freeEnergy) && std::isfinite(r.zeroTemperature.value) &&
           std::isfinite(r.zeroTemperature.z) && r.posteriorMean.allFinite() && r.gradY.allFinite() &&
           r.gradW.allFinite();
}

QString numbers(std::initializer_list<double> values)
{
    QStringList parts;
    for (double v : values)
        parts << QString::number(v, 'g', 17);
    return parts.join(QStringLiteral(", "));
}

} // namespace

class PropertiesTest : public QObject
{
    Q_OBJECT

private slots:
    void inference();

private:
    void checkCase(PropertyCase &c);
    void checkZeroTemperature(PropertyCase &c, const EllipseEbm &model);
    void checkPosterior(PropertyCase &c, const EllipseEbm &model, const Inference &r);
    void checkFiniteDifferences(PropertyCase &c, const EllipseEbm &model, const Inference &r);
};

void PropertiesTest::inference()
{
    const int cases = ebmtest::propertyCaseCount(100000, 10);
    QElapsedTimer timer;
    timer.start();
    if (const auto seed = ebmtest::replaySeed()) {
        PropertyCase c = ebmtest::drawCase(*seed, kContinuousShare);
        checkCase(c);
        return;
    }
    for (int i = 0; i < cases; ++i) {
        PropertyCase c = ebmtest::drawCase(ebmtest::caseSeed(1, i), kContinuousShare);
        checkCase(c);
        if (QTest::currentTestFailed())
            return;
    }
    qInfo("%d random parameter sets in %.1f s (%.1f s of CPU)", cases, timer.elapsed() / 1e3,
          static_cast<double>(std::clock()) / CLOCKS_PER_SEC);
}

void PropertiesTest::checkCase(PropertyCase &c)
{
    const EllipseEbm model(c.w, c.latents());
    const double tiny = slack(c);
    const Inference r = model.infer(c.y, c.beta);
    EBM_PROPERTY(allFinite(r), c, numbers({r.freeEnergy, r.gradY.x(), r.gradY.y(), r.gradW.x(), r.gradW.y()}));

    const double cold = r.zeroTemperature.value, f = r.freeEnergy, hot = model.meanEnergy(c.y);
    EBM_PROPERTY(std::isfinite(hot), c, numbers({hot}));
    EBM_PROPERTY(cold >= -tiny, c, numbers({cold}));
    EBM_PROPERTY(cold <= f + tiny, c, QStringLiteral("F_inf, F = ") + numbers({cold, f}));
    EBM_PROPERTY(f <= hot + tiny, c, QStringLiteral("F, mean E = ") + numbers({f, hot}));
    // Hoeffding's lemma: mean E - F_beta <= beta D^2 / 8 (a real limit at small beta, vacuous at large).
    const double d = rangeBound(c);
    EBM_PROPERTY(std::isinf(c.beta) || hot - f <= c.beta * d * d / 8.0 + tiny, c,
                 QStringLiteral("mean E - F = ") + numbers({hot - f}));
    if (c.count > 0) // (1/N) sum exp(-beta (E_k - E_min)) >= 1/N: F_beta <= F_inf + log(N) / beta
        EBM_PROPERTY(f <= cold + std::log(c.count) / c.beta + tiny, c, numbers({f, cold}));
    if (std::isinf(c.beta)) {
        EBM_PROPERTY(f == cold, c, numbers({f, cold}));
        EBM_PROPERTY(r.posteriorMean == ebm::decode(c.w, r.zeroTemperature.z), c, QString());
    }
    if (QTest::currentTestFailed())
        return;

    // Non-increasing in beta: F at a smaller beta (down to 1e-6) is at least as large.
    const double smaller = std::isinf(c.beta) ? ebmtest::logUniform(c.rng, 1e-6, 1e6)
                                              : ebmtest::logUniform(c.rng, std::max(1e-6, c.beta / 1e3), c.beta);
    const double fSmaller = model.freeEnergy(c.y, smaller);
    EBM_PROPERTY(std::isfinite(fSmaller) && fSmaller >= f - tiny, c,
                 QStringLiteral("beta' = %1: F(beta'), F = ").arg(smaller) + numbers({fSmaller, f}));

    // y_bar is a posterior average of manifold points: inside the ellipse's bounding box; the gradients are
    // averages of grad E, so |dF/dw_i| <= max_z |dE/dw_i| <= 2 (|y_i| + |w_i|).
    const double box = 1.0 + 1e-12;
    EBM_PROPERTY(std::abs(r.posteriorMean.x()) <= std::abs(c.w.w1) * box &&
                     std::abs(r.posteriorMean.y()) <= std::abs(c.w.w2) * box,
                 c, numbers({r.posteriorMean.x(), r.posteriorMean.y()}));
    EBM_PROPERTY(std::abs(r.gradW.x()) <= 2.0 * (std::abs(c.y.x()) + std::abs(c.w.w1)) * box + tiny &&
                     std::abs(r.gradW.y()) <= 2.0 * (std::abs(c.y.y()) + std::abs(c.w.w2)) * box + tiny,
                 c, numbers({r.gradW.x(), r.gradW.y()}));
    EBM_PROPERTY(r.gradY.isApprox(2.0 * (c.y - r.posteriorMean), 1e-12) ||
                     (r.gradY - 2.0 * (c.y - r.posteriorMean)).norm() <= tiny,
                 c, numbers({r.gradY.x(), r.gradY.y()}));
    if (QTest::currentTestFailed())
        return;
    checkZeroTemperature(c, model);
    if (QTest::currentTestFailed())
        return;
    checkPosterior(c, model, r);
    if (QTest::currentTestFailed())
        return;
    checkFiniteDifferences(c, model, r);
}

void PropertiesTest::checkZeroTemperature(PropertyCase &c, const EllipseEbm &model)
{
    const ebm::ZeroTemperature zt = model.zeroTemperature(c.y);
    const double tiny = slack(c);
    EBM_PROPERTY(std::abs(zt.value - ebm::energy(c.y, zt.z, c.w)) <= tiny, c, numbers({zt.value, zt.z}));
    if (c.count > 0) {
        // The first minimum of the sampled energies, found here by brute force.
        int best = 0;
        for (int k = 1; k < c.count; ++k) {
            if (ebm::energy(c.y, model.latents().angle(k), c.w) < ebm::energy(c.y, model.latents().angle(best), c.w))
                best = k;
        }
        EBM_PROPERTY(zt.k == best, c, QStringLiteral("k = %1, brute force %2").arg(zt.k).arg(best));
        return;
    }
    // Continuous: no z of a fine sampling, nor a random one, does better than the exact minimum.
    const EllipseEbm sampled(c.w, ebm::LatentSpec::sampled(1024));
    const double sampledMin = sampled.zeroTemperature(c.y).value;
    const double z = ebmtest::between(c.rng, 0.0, ebm::kTwoPi);
    EBM_PROPERTY(zt.value <= sampledMin + tiny && zt.value <= ebm::energy(c.y, z, c.w) + tiny, c,
                 numbers({zt.value, sampledMin}));
}

void PropertiesTest::checkPosterior(PropertyCase &c, const EllipseEbm &model, const Inference &r)
{
    const double tiny = slack(c);
    if (c.count == 0) {
        if (std::isinf(c.beta))
            return; // a Dirac delta, not a density
        // The density peaks at z_check, where it is 1 / (2 pi mean exp(-beta (E - E_min))) >= 1 / (2 pi).
        const double peak = model.posteriorAt(c.y, c.beta, r.zeroTemperature.z);
        const double z = ebmtest::between(c.rng, 0.0, ebm::kTwoPi);
        const double elsewhere = model.posteriorAt(c.y, c.beta, z);
        EBM_PROPERTY(std::isfinite(peak) && std::isfinite(elsewhere) && elsewhere >= 0.0, c,
                     numbers({peak, elsewhere}));
        EBM_PROPERTY(elsewhere <= peak * (1.0 + 1e-12) && peak >= (1.0 - 1e-12) / ebm::kTwoPi, c,
                     QStringLiteral("z = %1: ").arg(z) + numbers({peak, elsewhere}));
        return;
    }
    const std::vector<double> p = model.posterior(c.y, c.beta);
    EBM_PROPERTY(p.size() == static_cast<size_t>(c.count), c, QString::number(p.size()));
    double sum = 0.0, top = 0.0;
    Vec2 mean = Vec2::Zero();
    bool valid = true;
    for (int k = 0; k < c.count; ++k) {
        const double pk = p[static_cast<size_t>(k)];
        valid = valid && std::isfinite(pk) && pk >= 0.0 && pk <= 1.0;
        sum += pk;
        top = std::max(top, pk);
        mean += pk * ebm::decode(c.w, model.latents().angle(k));
    }
    EBM_PROPERTY(valid, c, QString());
    EBM_PROPERTY(std::abs(sum - 1.0) <= 4.0 * c.count * kEps, c, numbers({sum}));
    // The mode is z_check, with at least the uniform share 1/N.
    const double atMode = p[static_cast<size_t>(r.zeroTemperature.k)];
    EBM_PROPERTY(atMode == top && atMode * c.count >= 1.0 - 1e-12, c, numbers({atMode, top}));
    const int k = static_cast<int>(c.rng.uniform() * c.count);
    EBM_PROPERTY(model.posteriorAt(c.y, c.beta, model.latents().angle(k)) == p[static_cast<size_t>(k)], c,
                 QString::number(k));
    // y_bar from the posterior here and inside infer agree (at beta = inf the posterior shares exact ties, while
    // infer takes g(z_check) of the first minimum, checked above).
    if (std::isinf(c.beta))
        return;
    const double scale = std::abs(c.w.w1) + std::abs(c.w.w2);
    EBM_PROPERTY((mean - r.posteriorMean).norm() <= 1e-12 * scale + tiny, c,
                 numbers({mean.x(), mean.y(), r.posteriorMean.x(), r.posteriorMean.y()}));
}

void PropertiesTest::checkFiniteDifferences(PropertyCase &c, const EllipseEbm &model, const Inference &r)
{
    // Central differences are trustworthy where F is smooth on the step's scale: a finite, moderate beta, and
    // y and w of order one (the third derivative grows like beta^2 |grad E|^3).
    if (!(c.beta <= 10.0) || c.y.norm() > 5.0 || std::abs(c.w.w1) > 5.0 || std::abs(c.w.w2) > 5.0)
        return;
    const double h = 1e-6;
    const double tolerance = 1e-6 * (1.0 + r.gradY.norm() + r.gradW.norm());
    const Vec2 e1(h, 0.0), e2(0.0, h);
    const Vec2 gradY((model.freeEnergy(c.y + e1, c.beta) - model.freeEnergy(c.y - e1, c.beta)) / (2 * h),
                     (model.freeEnergy(c.y + e2, c.beta) - model.freeEnergy(c.y - e2, c.beta)) / (2 * h));
    auto fAt = [&](double w1, double w2) { return EllipseEbm({w1, w2}, c.latents()).freeEnergy(c.y, c.beta); };
    const Vec2 gradW((fAt(c.w.w1 + h, c.w.w2) - fAt(c.w.w1 - h, c.w.w2)) / (2 * h),
                     (fAt(c.w.w1, c.w.w2 + h) - fAt(c.w.w1, c.w.w2 - h)) / (2 * h));
    EBM_PROPERTY((gradY - r.gradY).norm() <= tolerance, c,
                 QStringLiteral("grad_y F: ") + numbers({r.gradY.x(), r.gradY.y(), gradY.x(), gradY.y()}));
    EBM_PROPERTY((gradW - r.gradW).norm() <= tolerance, c,
                 QStringLiteral("grad_w F: ") + numbers({r.gradW.x(), r.gradW.y(), gradW.x(), gradW.y()}));
}

QTEST_APPLESS_MAIN(PropertiesTest)
#include "tst_properties.moc"
