// The loss functionals of MODEL.md §3: values against the formulas written out here, gradients against central
// finite differences (every loss x F_inf/F_beta x sampled/continuous), the indicator gating of the homework,
// the NLL's log-sum-exp and the dataset mean.
#include "math/losses.h"

#include "fuzzycompare.h"
#include "math/rng.h"

#include <QTest>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <vector>

using namespace ebm;

Q_DECLARE_METATYPE(ebm::LossKind)

namespace {

constexpr double kStep = 1e-5; // the finite-difference step in w

enum Regime { Any, Active, Inactive }; // the negative side's indicator, for the gated losses

struct Setup
{
    LossKind kind = LossKind::Energy;
    double beta = kInfiniteBeta;
    LatentSpec latents = LatentSpec::sampled(48);
    double margin = 1.0;
    Vec2 data = Vec2::Zero(), negative = Vec2::Zero();
    std::vector<Vec2> candidates; // Y' of the NLL
};

LossTerm lossAt(const Setup &s, const EllipseParams &w)
{
    const EllipseEbm model(w, s.latents);
    const FreeEnergyAt f = freeEnergyAt(model, s.data, s.beta);
    if (s.kind == LossKind::Nll) {
        std::vector<FreeEnergyAt> c;
        for (const Vec2 &y : s.candidates)
            c.push_back(freeEnergyAt(model, y, s.beta));
        return nllLoss(f, logPartition(c, s.beta));
    }
    return pairLoss(s.kind, s.margin, f, freeEnergyAt(model, s.negative, s.beta));
}

// The loss as MODEL.md §3 writes it, from F alone (and a plain sum of exponentials for the NLL, fine at the
// moderate beta and F of these rows).
double formula(const Setup &s, const EllipseParams &w)
{
    const EllipseEbm model(w, s.latents);
    const double fy = model.freeEnergy(s.data, s.beta), fn = model.freeEnergy(s.negative, s.beta);
    const double m = s.margin;
    switch (s.kind) {
    case LossKind::Energy:
        return fy;
    case LossKind::Hinge:
        return std::max(fy - fn + m, 0.0);
    case LossKind::Log:
        return std::log(1.0 + std::exp(fy - fn));
    case LossKind::Simple:
        return std::max(fy, 0.0) + std::max(m - fn, 0.0);
    case LossKind::SquareSquare:
        return std::pow(std::max(fy, 0.0), 2) + std::pow(std::max(m - fn, 0.0), 2);
    case LossKind::Nll: {
        long double sum = 0.0L, fMin = INFINITY;
        for (const Vec2 &y : s.candidates) {
            const double f = model.freeEnergy(y, s.beta);
            fMin = std::min<long double>(fMin, f);
            sum += std::exp(-static_cast<long double>(s.beta) * f);
        }
        return std::isinf(s.beta) ? fy - static_cast<double>(fMin)
                                  : fy + static_cast<double>(std::log(sum) / static_cast<long double>(s.beta));
    }
    }
    return NAN;
}

// The arguments of the homework's indicators: their signs pick the branch of the gradient.
std::vector<double> indicatorArguments(const Setup &s, const EllipseParams &w)
{
    const EllipseEbm model(w, s.latents);
    const double fy = model.freeEnergy(s.data, s.beta), fn = model.freeEnergy(s.negative, s.beta);
    if (s.kind == LossKind::Hinge)
        return {fy - fn + s.margin};
    if (s.kind == LossKind::Simple || s.kind == LossKind::SquareSquare)
        return {fy, s.margin - fn};
    return {};
}

// Which smooth piece of F_inf each point is on: the minimising latent (sampled) or a rounded angle (continuous);
// for the NLL at beta = inf also which candidate is the minimiser.
std::vector<double> pieces(const Setup &s, const EllipseParams &w)
{
    std::vector<double> p;
    if (!std::isinf(s.beta))
        return p;
    const EllipseEbm model(w, s.latents);
    std::vector<Vec2> points = s.candidates;
    points.push_back(s.data);
    points.push_back(s.negative);
    for (const Vec2 &y : points) {
        const ZeroTemperature zt = model.zeroTemperature(y);
        p.push_back(s.latents.isContinuous() ? std::round(zt.z * 100.0) : zt.k);
    }
    if (s.kind == LossKind::Nll) {
        int best = 0;
        for (size_t i = 1; i < s.candidates.size(); ++i) {
            if (model.zeroTemperature(s.candidates[i]).value < model.zeroTemperature(s.candidates[best]).value)
                best = static_cast<int>(i);
        }
        p.push_back(best);
    }
    return p;
}

// Away from kinks: every indicator keeps its sign with a margin, and F_inf stays on one smooth piece, over the
// whole finite-difference stencil; the continuous minimiser may not jump by more than 0.01 rad (its rounding).
bool smoothAround(const Setup &s, const EllipseParams &w)
{
    const std::vector<double> args = indicatorArguments(s, w), piece = pieces(s, w);
    for (double a : args) {
        if (std::abs(a) < 1e-3)
            return false;
    }
    const EllipseEbm model(w, s.latents);
    if (std::isinf(s.beta) && s.kind == LossKind::Nll) {
        // The minimising candidate must win by a margin, or A = -min F(y') has a kink nearby.
        std::vector<double> f;
        for (const Vec2 &y : s.candidates)
            f.push_back(model.zeroTemperature(y).value);
        std::sort(f.begin(), f.end());
        if (f.size() > 1 && f[1] - f[0] < 1e-3)
            return false;
    }
    for (const EllipseParams &v : {EllipseParams{w.w1 + kStep, w.w2}, EllipseParams{w.w1 - kStep, w.w2},
                                   EllipseParams{w.w1, w.w2 + kStep}, EllipseParams{w.w1, w.w2 - kStep}}) {
        const std::vector<double> a = indicatorArguments(s, v);
        for (size_t i = 0; i < a.size(); ++i) {
            if ((a[i] >= 0.0) != (args[i] >= 0.0))
                return false;
        }
        if (pieces(s, v) != piece)
            return false;
    }
    return true;
}

bool regimeHolds(const Setup &s, const EllipseParams &w, Regime regime)
{
    const std::vector<double> a = indicatorArguments(s, w);
    if (regime == Any || a.empty())
        return true;
    const bool active = a.back() >= 0.0; // hinge: the whole term; simple, square-square: the negative side
    return (regime == Active) == active;
}

} // namespace

class TestLosses : public QObject
{
    Q_OBJECT

private slots:
    void gradientsMatchFiniteDifferences_data();
    void gradientsMatchFiniteDifferences();
    void indicatorsGateTheGradient();
    void logLossIsStableForLargeGaps();
    void nllWithOneCandidateIsTheEnergyGap();
    void nllIsStableAtLargeBetaAndTendsToTheColdLimit();
    void datasetLossIsTheMeanOverPairs();
    void datasetGradientMatchesFiniteDifferences_data();
    void datasetGradientMatchesFiniteDifferences();
};

void TestLosses::gradientsMatchFiniteDifferences_data()
{
    QTest::addColumn<LossKind>("kind");
    QTest::addColumn<double>("beta");
    QTest::addColumn<int>("count"); // latents; 0: continuous
    QTest::addColumn<int>("regime");
    QTest::addColumn<quint64>("seed");
    quint64 seed = 1;
    for (LossKind kind :
         {LossKind::Energy, LossKind::Hinge, LossKind::Log, LossKind::Simple, LossKind::SquareSquare, LossKind::Nll}) {
        const bool gated = lossUsesMargin(kind);
        for (double beta : {kInfiniteBeta, 0.5, 5.0}) {
            for (int count : {48, 0}) {
                for (int regime : {gated ? Active : Any, gated ? Inactive : Any}) {
                    const char *regimeName = regime == Active ? "active" : regime == Inactive ? "inactive" : "";
                    QTest::addRow("%s beta=%g %s %s #%llu", lossKindName(kind).c_str(), beta,
                                  count ? "N=48" : "continuous", regimeName, seed)
                        << kind << beta << count << regime << seed;
                    ++seed;
                }
            }
        }
    }
}

void TestLosses::gradientsMatchFiniteDifferences()
{
    QFETCH(LossKind, kind);
    QFETCH(double, beta);
    QFETCH(int, count);
    QFETCH(int, regime);
    QFETCH(quint64, seed);
    Rng rng(seed);
    Setup s;
    s.kind = kind;
    s.beta = beta;
    s.latents = count ? LatentSpec::sampled(count) : LatentSpec::continuous();
    EllipseParams w;
    bool found = false;
    // Random points, redrawn until they are away from every kink and in the wanted branch of the indicators.
    for (int attempt = 0; attempt < 1000 && !found; ++attempt) {
        w = {0.8 + 1.7 * rng.uniform(), 0.8 + 1.7 * rng.uniform()};
        s.data = {6.0 * rng.uniform() - 3.0, 6.0 * rng.uniform() - 3.0};
        s.negative = {6.0 * rng.uniform() - 3.0, 6.0 * rng.uniform() - 3.0};
        s.margin = 4.0 * rng.uniform();
        s.candidates.clear();
        for (int i = 0; i < 5; ++i)
            s.candidates.emplace_back(6.0 * rng.uniform() - 3.0, 6.0 * rng.uniform() - 3.0);
        found = regimeHolds(s, w, static_cast<Regime>(regime)) && smoothAround(s, w);
    }
    QVERIFY2(found, "no smooth point in the wanted regime");

    const LossTerm t = lossAt(s, w);
    const double scale = 1.0 + std::abs(t.value) + t.gradW.norm();
    // The value is the formula of MODEL.md §3 (to rounding: the NLL's plain sum differs from log-sum-exp there).
    EBM_COMPARE_REL(t.value, formula(s, w), 1e-12, scale);
    // h = 1e-5: truncation h^2/6 |l'''| and rounding eps |l| / h are both ~1e-9 of the scale for these |l| <~ 100
    // (beta <= 5, points off the kinks); the continuous quadrature adds ~1e-15 |F| / h. 1e-6 is far above that.
    const double d1 = (lossAt(s, {w.w1 + kStep, w.w2}).value - lossAt(s, {w.w1 - kStep, w.w2}).value) / (2 * kStep);
    const double d2 = (lossAt(s, {w.w1, w.w2 + kStep}).value - lossAt(s, {w.w1, w.w2 - kStep}).value) / (2 * kStep);
    EBM_COMPARE_REL(t.gradW.x(), d1, 1e-6, scale);
    EBM_COMPARE_REL(t.gradW.y(), d2, 1e-6, scale);
}

void TestLosses::indicatorsGateTheGradient()
{
    const FreeEnergyAt data{0.5, Vec2(1.0, -2.0)}, negative{2.0, Vec2(-3.0, 0.25)};
    const Vec2 both = data.gradW - negative.gradW;
    // Hinge: [F(y) - F(y^) + m]^+, gradient gated by 1[F(y) - F(y^) + m >= 0].
    LossTerm t = pairLoss(LossKind::Hinge, 1.0, data, negative); // gap 1.5 >= m: nothing to do
    QCOMPARE(t.value, 0.0);
    QVERIFY(t.gradW.isZero(0.0) && t.satisfied);
    t = pairLoss(LossKind::Hinge, 2.0, data, negative);
    QCOMPARE(t.value, 0.5);
    QVERIFY(t.gradW == both && !t.satisfied);
    t = pairLoss(LossKind::Hinge, 1.5, data, negative); // exactly at the kink: the homework keeps the gradient (>=)
    QCOMPARE(t.value, 0.0);
    QVERIFY(t.gradW == both && !t.satisfied);
    // Simple: [F(y)]^+ + [m - F(y^)]^+.
    t = pairLoss(LossKind::Simple, 1.0, data, negative); // F(y^) > m: only the data side pulls
    QCOMPARE(t.value, 0.5);
    QVERIFY(t.gradW == data.gradW && t.satisfied);
    t = pairLoss(LossKind::Simple, 3.0, data, negative);
    QCOMPARE(t.value, 1.5);
    QVERIFY(t.gradW == both && !t.satisfied);
    // Square-square: ([F(y)]^+)^2 + ([m - F(y^)]^+)^2, gradient 2 F(y) dF(y) - 2 [m - F(y^)] dF(y^).
    t = pairLoss(LossKind::SquareSquare, 1.0, data, negative);
    QCOMPARE(t.value, 0.25);
    QVERIFY(t.gradW == 2.0 * 0.5 * data.gradW && t.satisfied);
    t = pairLoss(LossKind::SquareSquare, 3.0, data, negative);
    QCOMPARE(t.value, 0.25 + 1.0);
    QVERIFY(t.gradW == 2.0 * 0.5 * data.gradW - 2.0 * 1.0 * negative.gradW && !t.satisfied);
    // A negative F(y) (not reachable by F_beta >= 0, but the formula is defined) is gated off too.
    t = pairLoss(LossKind::Simple, 1.0, {-0.5, Vec2(1, 1)}, negative);
    QCOMPARE(t.value, 0.0);
    QVERIFY(t.gradW.isZero(0.0));
    // Energy ignores the negative; log always pushes.
    t = pairLoss(LossKind::Energy, 1.0, data, negative);
    QVERIFY(t.value == 0.5 && t.gradW == data.gradW);
    t = pairLoss(LossKind::Log, 1.0, data, negative);
    EBM_COMPARE_REL(t.value, std::log1p(std::exp(-1.5)), 1e-15, 0.0);
    const double sigma = 1.0 / (1.0 + std::exp(1.5));
    EBM_COMPARE_REL(t.gradW.x(), sigma * both.x(), 1e-15, 0.0);
    EBM_COMPARE_REL(t.gradW.y(), sigma * both.y(), 1e-15, 0.0);
    QVERIFY(!t.satisfied);
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, pairLoss(LossKind::Nll, 1.0, data, negative));
}

void TestLosses::logLossIsStableForLargeGaps()
{
    const FreeEnergyAt low{0.0, Vec2(1.0, 1.0)}, high{1e4, Vec2(-1.0, 2.0)};
    LossTerm t = pairLoss(LossKind::Log, 0.0, high, low); // log(1 + e^1e4) = 1e4 + log1p(e^-1e4)
    QCOMPARE(t.value, 1e4);
    QVERIFY(t.gradW == high.gradW - low.gradW);
    t = pairLoss(LossKind::Log, 0.0, low, high); // log(1 + e^-1e4) underflows to 0, not NaN
    QCOMPARE(t.value, 0.0);
    QVERIFY(t.gradW.allFinite());
}

void TestLosses::nllWithOneCandidateIsTheEnergyGap()
{
    const EllipseEbm model({1.7, 1.2}, LatentSpec::sampled(48));
    const Vec2 y(0.4, 1.1), yPrime(-2.0, 0.3);
    for (double beta : {1e-3, 1.0, 1e3, kInfiniteBeta}) {
        const FreeEnergyAt fy = freeEnergyAt(model, y, beta), fp = freeEnergyAt(model, yPrime, beta);
        const LossTerm t = nllLoss(fy, logPartition({fp}, beta));
        QCOMPARE(t.value, fy.value - fp.value);
        QVERIFY(t.gradW == fy.gradW - fp.gradW);
    }
}

void TestLosses::nllIsStableAtLargeBetaAndTendsToTheColdLimit()
{
    // Far from the manifold every exp(-beta F) underflows at beta = 1e3; log-sum-exp must not.
    const std::vector<FreeEnergyAt> c = {
        {20.0, Vec2(1, 0)}, {18.0, Vec2(0, 1)}, {18.0, Vec2(2, 2)}, {25.0, Vec2(3, 3)}};
    const LogPartition cold = logPartition(c, kInfiniteBeta);
    QCOMPARE(cold.value, -18.0);
    QVERIFY(cold.gradW == -0.5 * (Vec2(0, 1) + Vec2(2, 2))); // exact ties share, as the softmax's limit
    for (double beta : {1e2, 1e3, 1e6}) {
        const LogPartition a = logPartition(c, beta);
        // Two tied minima: A = -18 + log(2 + e^{-2 beta} + e^{-7 beta}) / beta.
        EBM_COMPARE_REL(a.value, -18.0 + std::log(2.0) / beta, 1e-12, 18.0);
        QVERIFY((a.gradW - cold.gradW).norm() <= 4.0 * std::exp(-2.0 * beta) + 1e-15);
    }
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, logPartition({}, 1.0));
}

void TestLosses::datasetLossIsTheMeanOverPairs()
{
    const EllipseEbm model({1.8, 1.3}, LatentSpec::sampled(24));
    const std::vector<Vec2> data = {{2.0, 0.1}, {-0.3, 1.4}, {0.5, -1.6}};
    const std::vector<std::vector<Vec2>> negatives = {
        {{0.1, 0.2}, {2.5, 2.5}}, {{-1.0, 0.0}, {0.0, 0.0}}, {{1.0, -1.0}, {-2.0, -2.9}}};
    LossConfig config;
    config.kind = LossKind::Hinge;
    config.beta = 2.0;
    config.margin = 1.5;
    const DatasetLoss l = *datasetLoss(model, config, data, negatives);
    double value = 0.0;
    Vec2 grad = Vec2::Zero();
    for (size_t i = 0; i < data.size(); ++i) {
        for (const Vec2 &n : negatives[i]) {
            const LossTerm t =
                pairLoss(config.kind, 1.5, freeEnergyAt(model, data[i], 2.0), freeEnergyAt(model, n, 2.0));
            value += t.value / 2.0 / 3.0;
            grad += t.gradW / 2.0 / 3.0;
        }
    }
    EBM_COMPARE_REL(l.value, value, 1e-14, 1.0);
    EBM_COMPARE_REL(l.gradW.x(), grad.x(), 1e-14, 1.0);
    EBM_COMPARE_REL(l.gradW.y(), grad.y(), 1e-14, 1.0);
    QCOMPARE(l.pairs.size(), size_t(6));
    for (const PairReport &p : l.pairs) {
        QCOMPARE(p.satisfied, p.negativeEnergy - p.dataEnergy > 1.5);
        QCOMPARE(p.dataEnergy, model.freeEnergy(data[static_cast<size_t>(p.dataIndex)], 2.0));
    }
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, datasetLoss(model, config, {}, {}));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, datasetLoss(model, config, data, {}));
    std::atomic<bool> cancel{true};
    QVERIFY(!datasetLoss(model, config, data, negatives, &cancel));
}

void TestLosses::datasetGradientMatchesFiniteDifferences_data()
{
    QTest::addColumn<LossKind>("kind");
    QTest::addColumn<double>("beta");
    QTest::addColumn<int>("count");
    for (LossKind kind : {LossKind::Energy, LossKind::Log, LossKind::Nll}) {
        for (double beta : {1.0, 3.0}) {
            for (int count : {48, 0})
                QTest::addRow("%s beta=%g N=%d", lossKindName(kind).c_str(), beta, count) << kind << beta << count;
        }
    }
}

void TestLosses::datasetGradientMatchesFiniteDifferences()
{
    // Smooth losses at finite beta only (no kinks to steer around): the sum and the NLL's shared partition.
    QFETCH(LossKind, kind);
    QFETCH(double, beta);
    QFETCH(int, count);
    const LatentSpec latents = count ? LatentSpec::sampled(count) : LatentSpec::continuous();
    LossConfig config;
    config.kind = kind;
    config.beta = beta;
    config.candidatesX = 5;
    config.candidatesY = 4;
    const std::vector<Vec2> data = {{2.0, 0.1}, {-0.3, 1.4}, {0.5, -1.6}, {-1.9, -0.4}};
    const std::vector<std::vector<Vec2>> negatives = {{{0.1, 0.2}}, {{-1.0, 0.0}}, {{1.0, -1.0}}, {{2.0, 2.0}}};
    auto at = [&](double w1, double w2) {
        return datasetLoss(EllipseEbm({w1, w2}, latents), config, data, negatives)->value;
    };
    const EllipseParams w{1.6, 1.1};
    const DatasetLoss l = *datasetLoss(EllipseEbm(w, latents), config, data, negatives);
    const double scale = 1.0 + std::abs(l.value) + l.gradW.norm();
    EBM_COMPARE_REL(l.gradW.x(), (at(w.w1 + kStep, w.w2) - at(w.w1 - kStep, w.w2)) / (2 * kStep), 1e-6, scale);
    EBM_COMPARE_REL(l.gradW.y(), (at(w.w1, w.w2 + kStep) - at(w.w1, w.w2 - kStep)) / (2 * kStep), 1e-6, scale);
}

QTEST_APPLESS_MAIN(TestLosses)
#include "tst_losses.moc"
