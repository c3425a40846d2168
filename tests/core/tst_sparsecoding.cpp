// Sparse coding as an EBM (MODEL.md §4): ISTA and FISTA against the L1 optimality conditions on random problems,
// FISTA's speed-up, the top-2 refit against Eigen's QR least squares, unit atoms through training, the training
// loss, the Lipschitz constant against an SVD and the gradients against central finite differences.
#include "math/energymodel.h"
#include "math/rng.h"
#include "math/sparsecoding.h"

#include "fuzzycompare.h"

#include <Eigen/QR>
#include <Eigen/SVD>

#include <QTest>

#include <algorithm>
#include <cmath>
#include <vector>

using ebm::ShrinkageMethod;
using ebm::ShrinkageOptions;
using ebm::SparseCoding;
using ebm::Vec2;
using ebm::Vec3;
using Eigen::VectorXd;

namespace {

struct Problem
{
    SparseCoding model;
    Vec3 yDot;
};

Problem randomProblem(std::uint64_t seed)
{
    ebm::Rng rng(seed);
    const int d = 2 + static_cast<int>(rng.uniform() * 9); // 2..10 atoms
    const double alphas[] = {0.01, 0.1, 0.3, 1.0};
    const double alpha = alphas[static_cast<int>(rng.uniform() * 4)];
    const Vec2 y(6.0 * rng.uniform() - 3.0, 6.0 * rng.uniform() - 3.0);
    return {SparseCoding::random(d, alpha, seed * 31 + 5), ebm::lift(y)};
}

//! \brief the worst violation of 0 in d/dz (||y_dot - W z||^2) + alpha d||z||_1: for z_i = 0, |g_i| <= alpha; else
//! g_i = alpha sign(z_i), where g = 2 W^T (y_dot - W z)
double optimalityViolation(const SparseCoding &model, const Vec3 &yDot, const VectorXd &z)
{
    const VectorXd g = 2.0 * model.dictionary().transpose() * (yDot - model.dictionary() * z);
    double worst = 0.0;
    for (Eigen::Index i = 0; i < z.size(); ++i) {
        const double v = z[i] == 0.0 ? std::max(0.0, std::abs(g[i]) - model.alpha())
                                     : std::abs(g[i] - model.alpha() * (z[i] > 0.0 ? 1.0 : -1.0));
        worst = std::max(worst, v);
    }
    return worst;
}

} // namespace

class TestSparseCoding : public QObject
{
    Q_OBJECT

private slots:
    void shrinkageReachesTheL1OptimalityConditions_data();
    void shrinkageReachesTheL1OptimalityConditions();
    void fistaConvergesFasterThanIsta();
    void pathStartsAtZeroAndIstaDescends();
    void largeAlphaGivesZeroCode();
    void lipschitzIsTwiceTheLargestSquaredSingularValue();
    void refitEqualsDirectLeastSquares();
    void refitOfParallelAtomsIsTheMinimumNormSolution();
    void atomsStayUnitNorm();
    void trainingDecreasesTheLossOnAverage();
    void gradientsMatchFiniteDifferences();
    void badParametersAreRejected();
};

void TestSparseCoding::shrinkageReachesTheL1OptimalityConditions_data()
{
    QTest::addColumn<int>("method");
    QTest::newRow("ISTA") << static_cast<int>(ShrinkageMethod::Ista);
    QTest::newRow("FISTA") << static_cast<int>(ShrinkageMethod::Fista);
}

void TestSparseCoding::shrinkageReachesTheL1OptimalityConditions()
{
    QFETCH(int, method);
    ShrinkageOptions options;
    options.method = static_cast<ShrinkageMethod>(method);
    options.maxIterations = 1000000;
    int sparse = 0;
    for (std::uint64_t seed = 0; seed < 150; ++seed) {
        const Problem p = randomProblem(seed);
        const ebm::ShrinkageResult r = p.model.shrink(p.yDot, options);
        QVERIFY2(r.converged, qPrintable(QStringLiteral("seed %1 after %2 steps").arg(seed).arg(r.iterations)));
        const double violation = optimalityViolation(p.model, p.yDot, r.z);
        QVERIFY2(violation < 1e-8, qPrintable(QStringLiteral("seed %1: violation %2").arg(seed).arg(violation)));
        // The conditions are not met by accident: zero entries really are exactly zero, and most codes have some.
        sparse += (r.z.array() == 0.0).any() ? 1 : 0;
    }
    QVERIFY(sparse > 75);
}

void TestSparseCoding::fistaConvergesFasterThanIsta()
{
    long long ista = 0, fista = 0, plain = 0;
    int fistaWins = 0;
    for (std::uint64_t seed = 0; seed < 100; ++seed) {
        const Problem p = randomProblem(seed + 1000);
        ShrinkageOptions options;
        options.maxIterations = 1000000;
        options.tolerance = 1e-10;
        options.method = ShrinkageMethod::Ista;
        const ebm::ShrinkageResult i = p.model.shrink(p.yDot, options);
        options.method = ShrinkageMethod::Fista;
        const ebm::ShrinkageResult f = p.model.shrink(p.yDot, options);
        options.adaptiveRestart = false;
        const ebm::ShrinkageResult fp = p.model.shrink(p.yDot, options);
        QVERIFY(i.converged && f.converged && fp.converged);
        // The same minimiser (the lasso's is unique here or, for d > 3, the same energy).
        EBM_COMPARE_REL(p.model.energy(p.yDot, f.z), p.model.energy(p.yDot, i.z), 1e-9, 1.0);
        ista += i.iterations;
        fista += f.iterations;
        plain += fp.iterations;
        fistaWins += f.iterations <= i.iterations ? 1 : 0;
    }
    qInfo("iterations to 1e-10 over 100 problems: ISTA %lld, FISTA %lld (no slower on %d), FISTA without restart %lld",
          ista, fista, fistaWins, plain);
    QVERIFY(3 * fista < ista);
    QVERIFY(2 * plain < ista); // the accelerated rate alone, in total
    QVERIFY(fistaWins >= 90);
}

void TestSparseCoding::pathStartsAtZeroAndIstaDescends()
{
    for (std::uint64_t seed = 0; seed < 30; ++seed) {
        const Problem p = randomProblem(seed + 500);
        ShrinkageOptions options;
        options.keepPath = true;
        for (ShrinkageMethod method : {ShrinkageMethod::Ista, ShrinkageMethod::Fista}) {
            options.method = method;
            const ebm::ShrinkageResult r = p.model.shrink(p.yDot, options);
            QCOMPARE(static_cast<int>(r.path.size()), r.iterations + 1);
            QVERIFY(r.path.front().isZero(0.0));
            QVERIFY(r.path.back() == r.z);
            if (method != ShrinkageMethod::Ista)
                continue;
            // A proximal gradient step with step 1/L never increases E (FISTA may, by its momentum).
            for (size_t k = 1; k < r.path.size(); ++k) {
                const double before = p.model.energy(p.yDot, r.path[k - 1]), after = p.model.energy(p.yDot, r.path[k]);
                QVERIFY(after <= before * (1.0 + 1e-14) + 1e-15);
            }
        }
    }
}

void TestSparseCoding::largeAlphaGivesZeroCode()
{
    // z = 0 is optimal exactly when ||2 W^T y_dot||_inf <= alpha.
    const SparseCoding probe = SparseCoding::random(6, 0.0, 9);
    const Vec3 yDot = ebm::lift({0.4, -1.2});
    const double threshold = (2.0 * probe.dictionary().transpose() * yDot).cwiseAbs().maxCoeff();
    const SparseCoding above(probe.dictionary(), threshold * 1.001);
    QVERIFY(above.shrink(yDot).z.isZero(0.0));
    const SparseCoding below(probe.dictionary(), threshold * 0.9);
    QVERIFY(!below.shrink(yDot).z.isZero(0.0));
}

void TestSparseCoding::lipschitzIsTwiceTheLargestSquaredSingularValue()
{
    for (std::uint64_t seed = 0; seed < 20; ++seed) {
        const SparseCoding model = SparseCoding::random(1 + static_cast<int>(seed % 9), 0.1, seed);
        const Eigen::MatrixXd w = model.dictionary();
        const double sigma = Eigen::JacobiSVD<Eigen::MatrixXd>(w).singularValues()[0];
        EBM_COMPARE_REL(model.lipschitz(), 2.0 * sigma * sigma, 1e-13, 0.0);
    }
}

void TestSparseCoding::refitEqualsDirectLeastSquares()
{
    ebm::Rng rng(77);
    for (std::uint64_t seed = 0; seed < 200; ++seed) {
        const Problem p = randomProblem(seed + 2000);
        const int d = p.model.atoms();
        VectorXd lasso(d);
        for (int i = 0; i < d; ++i)
            lasso[i] = rng.uniform() < 0.4 ? 0.0 : 2.0 * rng.uniform() - 1.0;
        const ebm::TopTwoCode c = p.model.refit(p.yDot, lasso);
        // The support: the two largest |entries|, by a plain sort of the indices.
        std::vector<int> order(static_cast<size_t>(d));
        for (int i = 0; i < d; ++i)
            order[static_cast<size_t>(i)] = i;
        std::stable_sort(order.begin(), order.end(),
                         [&](int a, int b) { return std::abs(lasso[a]) > std::abs(lasso[b]); });
        QCOMPARE(c.first, order[0]);
        QCOMPARE(c.second, order[1]);
        Eigen::Matrix<double, 3, 2> ws;
        ws.col(0) = p.model.dictionary().col(order[0]);
        ws.col(1) = p.model.dictionary().col(order[1]);
        const Eigen::Vector2d t = ws.colPivHouseholderQr().solve(p.yDot);
        EBM_COMPARE_REL(c.z[order[0]], t[0], 1e-9, 1.0);
        EBM_COMPARE_REL(c.z[order[1]], t[1], 1e-9, 1.0);
        QCOMPARE((c.z.array() != 0.0).count() <= 2, true);
        EBM_COMPARE_REL(c.value, (p.yDot - ws * t).squaredNorm() + p.model.alpha() * t.lpNorm<1>(), 1e-9, 1.0);
        QCOMPARE(c.value, p.model.energy(p.yDot, c.z));
    }
    // Ties go to the smaller index.
    const Problem p = randomProblem(1);
    VectorXd tied = VectorXd::Constant(p.model.atoms(), 0.5);
    const ebm::TopTwoCode c = p.model.refit(p.yDot, tied);
    QCOMPARE(c.first, 0);
    QCOMPARE(c.second, 1);
}

void TestSparseCoding::refitOfParallelAtomsIsTheMinimumNormSolution()
{
    Eigen::Matrix3Xd w(3, 3);
    w.col(0) = Vec3(1.0, 2.0, -1.0);
    w.col(1) = -w.col(0);
    w.col(2) = Vec3(0.0, 0.0, 1.0);
    const SparseCoding model(w, 0.1);
    const Vec3 yDot = ebm::lift({0.5, 0.25});
    VectorXd lasso(3);
    lasso << 0.9, -0.7, 0.1;
    const ebm::TopTwoCode c = model.refit(yDot, lasso);
    const Eigen::MatrixXd ws = model.dictionary().leftCols(2);
    const Eigen::Vector2d t = ws.completeOrthogonalDecomposition().solve(yDot); // the minimum-norm solution
    EBM_COMPARE_REL(c.z[0], t[0], 1e-12, 1.0);
    EBM_COMPARE_REL(c.z[1], t[1], 1e-12, 1.0);
}

void TestSparseCoding::atomsStayUnitNorm()
{
    Eigen::Matrix3Xd w(3, 2);
    w << 3.0, 0.0, 4.0, 0.0, 0.0, 2.0;
    QVERIFY(SparseCoding(w, 0.1).dictionary().colwise().norm().isApprox(Eigen::RowVector2d(1.0, 1.0), 1e-15));
    SparseCoding model = SparseCoding::random(8, 0.1, 4);
    const std::vector<Vec2> data = ebm::familyData(4);
    for (int step = 0; step < 25; ++step) {
        model.trainStep(data, 0.5);
        for (int j = 0; j < model.atoms(); ++j)
            QVERIFY(std::abs(model.dictionary().col(j).norm() - 1.0) < 1e-14);
    }
}

void TestSparseCoding::trainingDecreasesTheLossOnAverage()
{
    double change = 0.0;
    int decreased = 0;
    const int runs = 12;
    for (int seed = 0; seed < runs; ++seed) {
        const std::vector<Vec2> data = ebm::familyData(static_cast<std::uint64_t>(seed));
        SparseCoding model = SparseCoding::random(ebm::kDefaultAtoms, ebm::kDefaultSparsity, 100 + seed);
        const double before = model.loss(data);
        for (int step = 0; step < 30; ++step)
            model.trainStep(data, 0.05);
        const double after = model.loss(data);
        change += after - before;
        decreased += after < before ? 1 : 0;
    }
    qInfo("mean loss change over %d runs of 30 steps: %g (%d decreased)", runs, change / runs, decreased);
    QVERIFY(change < 0.0);
    QVERIFY(decreased >= runs * 3 / 4);
}

void TestSparseCoding::gradientsMatchFiniteDifferences()
{
    const double h = 1e-6;
    int checked = 0;
    for (std::uint64_t seed = 0; seed < 40; ++seed) {
        const Problem p = randomProblem(seed + 3000);
        const Vec2 y(p.yDot[1], p.yDot[2]);
        const ebm::TopTwoCode c = p.model.infer(p.yDot);
        // d/dW of E at a fixed code.
        const Eigen::Matrix3Xd gw = p.model.gradDictionary(p.yDot, c.z);
        const Eigen::Matrix3Xd w = p.model.dictionary();
        for (int r = 0; r < 3; ++r) {
            for (int j = 0; j < w.cols(); ++j) {
                Eigen::Matrix3Xd up = w, down = w;
                up(r, j) += h;
                down(r, j) -= h;
                // E without the normalisation: the energy of the raw matrices, written out here.
                const auto e = [&](const Eigen::Matrix3Xd &m) {
                    return (p.yDot - m * c.z).squaredNorm() + p.model.alpha() * c.z.lpNorm<1>();
                };
                EBM_COMPARE_REL(gw(r, j), (e(up) - e(down)) / (2 * h), 1e-6, 1.0);
            }
        }
        // grad_y F_inf where the support is the same on both sides.
        const Vec2 g = p.model.gradY(y);
        for (int d = 0; d < 2; ++d) {
            Vec2 up = y, down = y;
            up[d] += h;
            down[d] -= h;
            const ebm::TopTwoCode cu = p.model.infer(ebm::lift(up)), cd = p.model.infer(ebm::lift(down));
            const bool sameSigns =
                (cu.z.array().sign() == c.z.array().sign()).all() && (cd.z.array().sign() == c.z.array().sign()).all();
            if (!sameSigns)
                continue;
            EBM_COMPARE_REL(g[d], (cu.value - cd.value) / (2 * h), 1e-6, 1.0);
            ++checked;
        }
    }
    QVERIFY(checked > 60);
}

void TestSparseCoding::badParametersAreRejected()
{
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, SparseCoding(Eigen::Matrix3Xd::Zero(3, 2), 0.1));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, SparseCoding(Eigen::Matrix3Xd(3, 0), 0.1));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, SparseCoding::random(3, -0.1, 0));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, SparseCoding::random(0, 0.1, 0));
}

QTEST_APPLESS_MAIN(TestSparseCoding)
#include "tst_sparsecoding.moc"
