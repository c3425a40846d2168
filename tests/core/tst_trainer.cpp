// Full-batch gradient descent on w: convergence to the lecture's manifold with a derived tolerance, descent,
// the marginalised shrinking, the hinge margin, divergence, determinism and parameter changes between epochs.
#include "math/trainer.h"

#include "fuzzycompare.h"
#include "math/dataset.h"

#include <QTest>

#include <atomic>
#include <cmath>
#include <limits>
#include <vector>

using namespace ebm;

namespace {

TrainingConfig energyConfig(double beta, double eta)
{
    TrainingConfig c;
    c.loss.kind = LossKind::Energy;
    c.loss.beta = beta;
    c.learningRate = eta;
    c.init = {1.0, 1.0};
    return c;
}

// The zero-temperature energy loss written out independently: mean_i min_k E(y_i, z_k), z_k = 2 pi k / n.
class ColdEnergyLoss
{
public:
    ColdEnergyLoss(std::vector<Vec2> data, int n)
        : m_data(std::move(data))
    {
        for (int k = 0; k < n; ++k) {
            m_cos.push_back(std::cos(2.0 * M_PI * k / n));
            m_sin.push_back(std::sin(2.0 * M_PI * k / n));
        }
    }

    //! The loss at w; the minimising k of every point in *argmin.
    double operator()(double w1, double w2, std::vector<int> *argmin = nullptr) const
    {
        double total = 0.0;
        for (const Vec2 &y : m_data) {
            double best = std::numeric_limits<double>::infinity();
            int bestK = 0;
            for (size_t k = 0; k < m_cos.size(); ++k) {
                const double d1 = y.x() - w1 * m_cos[k], d2 = y.y() - w2 * m_sin[k];
                if (d1 * d1 + d2 * d2 < best) {
                    best = d1 * d1 + d2 * d2;
                    bestK = static_cast<int>(k);
                }
            }
            total += best;
            if (argmin)
                argmin->push_back(bestK);
        }
        return total / static_cast<double>(m_data.size());
    }

private:
    std::vector<Vec2> m_data;
    std::vector<double> m_cos, m_sin;
};

} // namespace

class TestTrainer : public QObject
{
    Q_OBJECT

private slots:
    void zeroTemperatureEnergyTrainingFindsTheManifold();
    void smallStepsNeverIncreaseTheLoss_data();
    void smallStepsNeverIncreaseTheLoss();
    void marginalisedTrainingShrinksAsBetaFalls();
    void hingeSatisfiedPairsKeepTheMargin();
    void divergenceStopsAtTheLastFiniteState();
    void sameConfigurationSameTrace();
    void configChangeTakesEffectAtTheNextStep();
    void cancelLeavesTheRunUnchanged();
    void invalidConfigurationsAreRefused();
    void resumedRunContinuesBitIdentically();
};

void TestTrainer::zeroTemperatureEnergyTrainingFindsTheManifold()
{
    const std::vector<Vec2> data = ellipseSamples(DatasetSpec{}); // 24 points at x = 0, sigma = 0.05, seed 0
    const int n = 48;
    TrainingRun run(data, energyConfig(kInfiniteBeta, 0.2));
    run.run(400);
    QVERIFY(!run.diverged());
    const EllipseParams w = run.current().w;

    // 1. The exact minimiser, found without the trainer: a grid search over w at step 1e-3, then (the loss being
    // a minimum of quadratics in w) the least-squares w for the grid minimiser's latent assignment, which must be
    // a fixed point of the assignment to be a true local minimiser.
    const ColdEnergyLoss coldLoss(data, n);
    double bestLoss = std::numeric_limits<double>::infinity(), g1 = 0.0, g2 = 0.0;
    for (int i = 0; i <= 400; ++i) {
        for (int j = 0; j <= 400; ++j) {
            const double w1 = 1.8 + 1e-3 * i, w2 = 1.3 + 1e-3 * j, l = coldLoss(w1, w2);
            if (l < bestLoss) {
                bestLoss = l;
                g1 = w1;
                g2 = w2;
            }
        }
    }
    QVERIFY2(g1 > 1.8 && g1 < 2.2 && g2 > 1.3 && g2 < 1.7, "the grid minimiser lies on the edge of the search");
    std::vector<int> k;
    coldLoss(g1, g2, &k);
    double sy1c = 0.0, scc = 0.0, sy2s = 0.0, sss = 0.0;
    for (size_t i = 0; i < data.size(); ++i) {
        const double z = 2.0 * M_PI * k[i] / n;
        sy1c += data[i].x() * std::cos(z);
        scc += std::cos(z) * std::cos(z);
        sy2s += data[i].y() * std::sin(z);
        sss += std::sin(z) * std::sin(z);
    }
    const double exact1 = sy1c / scc, exact2 = sy2s / sss;
    std::vector<int> kExact;
    coldLoss(exact1, exact2, &kExact);
    QVERIFY2(kExact == k, "the least-squares w changes the assignment: not a fixed point");
    // Gradient descent converges to it geometrically once on its piece: the Hessian there is
    // diag(2 mean cos^2 z, 2 mean sin^2 z), so the error shrinks by max |1 - eta lambda| <= 0.8 per epoch
    // (eta = 0.2, lambda <= 2) and 400 epochs leave rounding only. 1e-9 is far above rounding.
    QVERIFY2(std::abs(w.w1 - exact1) <= 1e-9 && std::abs(w.w2 - exact2) <= 1e-9,
             qPrintable(QStringLiteral("trained (%1, %2), exact (%3, %4)")
                            .arg(w.w1, 0, 'g', 17)
                            .arg(w.w2, 0, 'g', 17)
                            .arg(exact1, 0, 'g', 17)
                            .arg(exact2, 0, 'g', 17)));

    // 2. Near the generating rho = (2, 1.5). The fit is a regression of y1 on cos z_i (and y2 on sin z_i), so its
    // standard error is sigma_eff / sqrt(sum cos^2 z_i). sigma_eff adds to the noise sigma = 0.05 the latent
    // quantisation: the true angle lies within Delta/2 of z_i (Delta = 2 pi / N), a uniform offset along the
    // ellipse of standard deviation rho_max Delta / sqrt(12). The quantisation also biases the radius by at most
    // rho E[delta^2] / 2 = rho Delta^2 / 24. Tolerance: 5 standard errors (two-sided p ~ 6e-7) plus that bias.
    const double sigma = 0.05, delta = 2.0 * M_PI / n, rhoMax = 2.0;
    const double sigmaEff = std::sqrt(sigma * sigma + std::pow(rhoMax * delta, 2) / 12.0);
    const double tol1 = 5.0 * sigmaEff / std::sqrt(scc) + 2.0 * delta * delta / 24.0;
    const double tol2 = 5.0 * sigmaEff / std::sqrt(sss) + 1.5 * delta * delta / 24.0;
    QVERIFY2(std::abs(w.w1 - 2.0) <= tol1 && std::abs(w.w2 - 1.5) <= tol2,
             qPrintable(QStringLiteral("w = (%1, %2), tolerances (%3, %4)").arg(w.w1).arg(w.w2).arg(tol1).arg(tol2)));
    // And the trace is complete: epoch 0 is the start, one row per epoch.
    QCOMPARE(run.trace().size(), size_t(401));
    QCOMPARE(run.trace().front().w, (EllipseParams{1.0, 1.0}));
    for (size_t e = 0; e < run.trace().size(); ++e)
        QCOMPARE(run.trace()[e].epoch, static_cast<int>(e));
    EBM_COMPARE_REL(run.trace().front().loss, coldLoss(1.0, 1.0), 1e-14, 1.0);
}

void TestTrainer::smallStepsNeverIncreaseTheLoss_data()
{
    QTest::addColumn<double>("beta");
    QTest::addColumn<int>("count");
    for (double beta : {kInfiniteBeta, 10.0, 1.0}) {
        for (int count : {48, 0})
            QTest::addRow("beta=%g N=%d", beta, count) << beta << count;
    }
}

void TestTrainer::smallStepsNeverIncreaseTheLoss()
{
    // The energy loss has curvature at most 2 in w: E is quadratic in w with Hessian diag(2 cos^2, 2 sin^2) <= 2,
    // and F_beta (a soft minimum: mean Hessian minus beta times a covariance) or F_inf (a minimum) can only lower
    // it. The descent lemma then gives L(w - eta g) <= L(w) - eta (1 - eta) |g|^2 for eta < 1, so eta = 0.25 never
    // increases the loss, up to rounding (1e-14 relative).
    QFETCH(double, beta);
    QFETCH(int, count);
    TrainingConfig c = energyConfig(beta, 0.25);
    c.latents = count ? LatentSpec::sampled(count) : LatentSpec::continuous();
    TrainingRun run(ellipseSamples(DatasetSpec{}), c);
    QCOMPARE(run.run(100), 100);
    for (size_t e = 1; e < run.trace().size(); ++e) {
        const double before = run.trace()[e - 1].loss, after = run.trace()[e].loss;
        QVERIFY2(
            after <= before + 1e-14 * before,
            qPrintable(QStringLiteral("epoch %1: %2 -> %3").arg(e).arg(before, 0, 'g', 17).arg(after, 0, 'g', 17)));
    }
    QVERIFY(run.trace().back().loss < run.trace().front().loss);
}

void TestTrainer::marginalisedTrainingShrinksAsBetaFalls()
{
    // The hot limit mean_z E = |y|^2 + (w1^2 + w2^2) / 2 is minimised at w = 0; lowering beta moves the trained
    // manifold towards it. At w = 0 every z has the same energy, so w = 0 is stationary for every beta; its
    // Hessian is 1 - 2 beta mean(y_j^2) per axis, so below beta ~ 0.2 (mean y1^2 ~ 2) it is the minimum.
    const std::vector<Vec2> data = ellipseSamples(DatasetSpec{});
    std::vector<EllipseParams> trained;
    for (double beta : {0.05, 0.5, 1.0, 3.0, 10.0, kInfiniteBeta}) {
        TrainingRun run(data, energyConfig(beta, 0.25));
        run.run(600);
        trained.push_back(run.current().w);
    }
    QVERIFY2(std::hypot(trained[0].w1, trained[0].w2) < 1e-6, "the hot run did not collapse to w = 0");
    for (size_t i = 1; i < trained.size(); ++i) {
        QVERIFY2(trained[i].w1 >= trained[i - 1].w1 && trained[i].w2 >= trained[i - 1].w2,
                 qPrintable(QStringLiteral("w at step %1: (%2, %3) after (%4, %5)")
                                .arg(i)
                                .arg(trained[i].w1)
                                .arg(trained[i].w2)
                                .arg(trained[i - 1].w1)
                                .arg(trained[i - 1].w2)));
    }
}

void TestTrainer::hingeSatisfiedPairsKeepTheMargin()
{
    TrainingConfig c;
    c.loss.kind = LossKind::Hinge;
    c.loss.margin = 0.5;
    c.learningRate = 0.05;
    c.negatives.count = 4;
    TrainingRun run(ellipseSamples(DatasetSpec{}), c);
    run.run(200);
    const DatasetLoss l = *run.evaluate(run.current().w, run.epoch());
    QCOMPARE(l.pairs.size(), size_t(24 * 4));
    int satisfied = 0;
    for (const PairReport &p : l.pairs) {
        if (p.satisfied) {
            ++satisfied;
            QVERIFY(p.negativeEnergy - p.dataEnergy >= c.loss.margin);
        }
    }
    QVERIFY2(satisfied > 0, "no pair satisfied: the check above was vacuous");
    EBM_COMPARE_REL(l.value, run.current().loss, 1e-15, 1.0); // the row's loss is L_k(w_k)
    QCOMPARE(run.currentPairs().size(), l.pairs.size());
    for (size_t i = 0; i < l.pairs.size(); ++i) {
        QVERIFY(run.currentPairs()[i].negative == l.pairs[i].negative);
        QCOMPARE(run.currentPairs()[i].satisfied, l.pairs[i].satisfied);
    }
}

void TestTrainer::divergenceStopsAtTheLastFiniteState()
{
    for (int count : {48, 0}) {
        TrainingConfig c = energyConfig(kInfiniteBeta, 1e3);
        c.latents = count ? LatentSpec::sampled(count) : LatentSpec::continuous();
        TrainingRun run(ellipseSamples(DatasetSpec{}), c);
        const int taken = run.run(1000);
        QVERIFY(taken < 1000);
        QVERIFY(run.diverged());
        QVERIFY(QString::fromStdString(run.message()).contains("diverged"));
        QCOMPARE(run.trace().size(), size_t(taken + 1));
        const TracePoint last = run.current();
        QVERIFY(std::isfinite(last.loss) && std::abs(last.w.w1) <= kDivergenceBound &&
                std::abs(last.w.w2) <= kDivergenceBound);
        QVERIFY(!run.step()); // stays stopped, state untouched
        QCOMPARE(run.current(), last);
        run.reset(); // and a reset starts over
        QVERIFY(!run.diverged());
        QCOMPARE(run.trace().size(), size_t(1));
    }
}

void TestTrainer::sameConfigurationSameTrace()
{
    for (LossKind kind :
         {LossKind::Energy, LossKind::Hinge, LossKind::Log, LossKind::Simple, LossKind::SquareSquare, LossKind::Nll}) {
        TrainingConfig c;
        c.loss.kind = kind;
        c.loss.beta = 2.0;
        c.learningRate = 0.02;
        c.negatives.strategy = NegativeStrategy::Offending;
        c.negatives.count = 2;
        c.negatives.seed = 9;
        TrainingRun a(ellipseSamples(DatasetSpec{}), c), b(ellipseSamples(DatasetSpec{}), c);
        a.run(20);
        b.run(20);
        QVERIFY(a.trace() == b.trace()); // bit-identical
        const std::vector<TracePoint> first = a.trace();
        a.reset();
        a.run(20);
        QVERIFY(a.trace() == first);
        c.negatives.seed = 10;
        TrainingRun other(ellipseSamples(DatasetSpec{}), c);
        other.run(20);
        QCOMPARE(other.trace() == first, !lossUsesNegatives(kind));
    }
}

void TestTrainer::configChangeTakesEffectAtTheNextStep()
{
    TrainingConfig c = energyConfig(1.0, 0.1);
    TrainingRun run(ellipseSamples(DatasetSpec{}), c);
    run.run(5);
    const TracePoint before = run.current();
    TrainingConfig hinge = c;
    hinge.loss.kind = LossKind::Hinge;
    hinge.learningRate = 0.3;
    run.setConfig(hinge);
    QCOMPARE(run.current(), before); // nothing recomputed in the trace
    QVERIFY(run.step());
    // By hand: one step of the new loss from w_5 with epoch 5's negatives, then the row at w_6 with epoch 6's.
    const Vec2 g = run.evaluate(before.w, 5)->gradW;
    const EllipseParams expected{before.w.w1 - 0.3 * g.x(), before.w.w2 - 0.3 * g.y()};
    QCOMPARE(run.current().w, expected);
    QCOMPARE(run.current().loss, run.evaluate(expected, 6)->value);
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, run.setConfig(energyConfig(-1.0, 0.1)));
    QCOMPARE(run.config(), hinge);
}

void TestTrainer::cancelLeavesTheRunUnchanged()
{
    TrainingConfig c = energyConfig(1.0, 0.1);
    c.loss.kind = LossKind::Nll;
    TrainingRun run(ellipseSamples(DatasetSpec{}), c);
    const std::atomic<bool> cancel{true};
    QVERIFY(!run.step(&cancel));
    QVERIFY(!run.diverged());
    QCOMPARE(run.trace().size(), size_t(1));
    QVERIFY(run.step());
    QCOMPARE(run.epoch(), 1);
}

void TestTrainer::invalidConfigurationsAreRefused()
{
    const std::vector<Vec2> data = {{1.0, 0.0}};
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, TrainingRun({}, TrainingConfig{}));
    TrainingConfig c;
    c.loss.beta = 0.0;
    QVERIFY(!trainingConfigProblem(c).empty());
    c = TrainingConfig{};
    c.learningRate = 0.0;
    QVERIFY(!trainingConfigProblem(c).empty());
    c = TrainingConfig{};
    c.init.w1 = 2e6;
    QVERIFY(!trainingConfigProblem(c).empty());
    c = TrainingConfig{};
    c.negatives.count = 0;
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, TrainingRun(data, c));
    QVERIFY(trainingConfigProblem(TrainingConfig{}).empty());
}

void TestTrainer::resumedRunContinuesBitIdentically()
{
    // A saved session resumes its run: from any recorded prefix, the continuation is the uninterrupted run's
    // (same negatives per epoch, same gradients), bit for bit.
    for (LossKind kind : {LossKind::Energy, LossKind::Hinge, LossKind::Nll}) {
        TrainingConfig c = energyConfig(2.0, 0.05);
        c.loss.kind = kind;
        c.negatives.strategy = NegativeStrategy::Offending;
        c.negatives.seed = 5;
        TrainingRun whole(ellipseSamples(DatasetSpec{}), c);
        whole.run(15);
        for (size_t prefix : {size_t(1), size_t(7), size_t(16)}) {
            TrainingRun resumed(ellipseSamples(DatasetSpec{}), c);
            const std::vector<TracePoint> recorded(whole.trace().begin(), whole.trace().begin() + long(prefix));
            QVERIFY(resumed.resume(recorded));
            QCOMPARE(resumed.epoch(), int(prefix) - 1);
            resumed.run(16 - int(prefix));
            QVERIFY2(resumed.trace() == whole.trace(), qPrintable(QString::fromStdString(lossKindName(kind))));
        }
    }
    TrainingRun run(ellipseSamples(DatasetSpec{}), energyConfig(1.0, 0.1));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, run.resume({}));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, run.resume({{0, {1, 1}, 0.0}, {2, {1, 1}, 0.0}}));
    QCOMPARE(run.trace().size(), size_t(1)); // refused: unchanged
}

QTEST_APPLESS_MAIN(TestTrainer)
#include "tst_trainer.moc"
