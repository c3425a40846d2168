// K-means as an EBM (MODEL.md §4): Lloyd steps against the loss they must not increase, a hand-made dataset with a
// known partition, the seeded initialisation, F_beta against a long double oracle and its two limits, and the
// gradients against central finite differences.
#include "math/energymodel.h"
#include "math/kmeans.h"
#include "math/rng.h"

#include "fuzzycompare.h"

#include <QTest>

#include <cmath>
#include <set>
#include <vector>

using ebm::KMeans;
using ebm::Vec2;

namespace {

const double kInf = std::numeric_limits<double>::infinity();

//! \brief -(1/beta) log((1/K) sum_k exp(-beta E_k)) in long double, minimum factored out, expm1 when hot
long double referenceFreeEnergy(const std::vector<double> &e, double beta)
{
    long double eMin = e[0];
    for (double v : e)
        eMin = std::min(eMin, static_cast<long double>(v));
    long double sum = 0, sumExpm1 = 0;
    for (double v : e) {
        const long double x = -static_cast<long double>(beta) * (v - eMin);
        sum += std::exp(x);
        sumExpm1 += std::expm1(x);
    }
    const long double n = static_cast<long double>(e.size());
    const long double logMean = sum / n < 0.5L ? std::log(sum / n) : std::log1p(sumExpm1 / n);
    return eMin - logMean / beta;
}

Eigen::Matrix2Xd randomCentroids(ebm::Rng &rng, int k)
{
    Eigen::Matrix2Xd w(2, k);
    for (int c = 0; c < k; ++c)
        w.col(c) = Vec2(4.0 * rng.uniform() - 2.0, 4.0 * rng.uniform() - 2.0);
    return w;
}

} // namespace

class TestKMeans : public QObject
{
    Q_OBJECT

private slots:
    void lloydStepsNeverIncreaseTheLoss();
    void handMadeDataGiveTheKnownPartition();
    void emptyClusterKeepsItsCentroidAndTiesGoToTheSmallerIndex();
    void initialisationTakesDistinctSeededDataPoints();
    void initialisationRejectsBadK();
    void freeEnergyMatchesLongDoubleOracle_data();
    void freeEnergyMatchesLongDoubleOracle();
    void freeEnergyLimitsAndBounds();
    void posteriorIsADistribution();
    void gradientsMatchFiniteDifferences_data();
    void gradientsMatchFiniteDifferences();
};

void TestKMeans::lloydStepsNeverIncreaseTheLoss()
{
    int steps = 0;
    for (std::uint64_t seed = 0; seed < 200; ++seed) {
        const std::vector<Vec2> data = ebm::familyData(seed, 20 + static_cast<int>(seed % 60));
        const int k = 1 + static_cast<int>(seed % 20);
        KMeans model = KMeans::fromData(data, k, seed * 7 + 1);
        double loss = model.loss(data);
        for (int step = 0; step < 15; ++step, ++steps) {
            model.lloydStep(data);
            const double next = model.loss(data);
            // The mean is the exact minimiser of each cluster's sum of squares; a converged step may wobble by an ulp.
            QVERIFY2(next <= loss * (1.0 + 1e-13), qPrintable(QStringLiteral("seed %1 step %2: %3 -> %4")
                                                                  .arg(seed)
                                                                  .arg(step)
                                                                  .arg(loss, 0, 'g', 17)
                                                                  .arg(next, 0, 'g', 17)));
            loss = next;
        }
    }
    QCOMPARE(steps, 200 * 15);
}

void TestKMeans::handMadeDataGiveTheKnownPartition()
{
    // Three tight groups far apart; the initial centroids are the first point of each group, listed out of order.
    const std::vector<Vec2> data = {{-5.0, 0.0}, {-5.2, 0.4}, {-4.6, -0.1}, {5.0, 0.0}, {5.3, 0.3},
                                    {0.0, 6.0},  {0.2, 6.5},  {-0.4, 5.8},  {0.1, 6.1}};
    Eigen::Matrix2Xd init(2, 3);
    init.col(0) = data[5];
    init.col(1) = data[0];
    init.col(2) = data[3];
    KMeans model(init);
    const ebm::LloydStep step = model.lloydStep(data);
    const std::vector<int> expected = {1, 1, 1, 2, 2, 0, 0, 0, 0};
    QCOMPARE(step.assignments, expected);
    QCOMPARE(step.emptyClusters, 0);
    QVERIFY(step.moved);
    EBM_COMPARE_REL(model.centroids()(0, 1), (-5.0 - 5.2 - 4.6) / 3.0, 1e-15, 1.0);
    EBM_COMPARE_REL(model.centroids()(1, 1), (0.0 + 0.4 - 0.1) / 3.0, 1e-15, 1.0);
    EBM_COMPARE_REL(model.centroids()(0, 2), (5.0 + 5.3) / 2.0, 1e-15, 1.0);
    EBM_COMPARE_REL(model.centroids()(1, 2), 0.15, 1e-15, 1.0);
    EBM_COMPARE_REL(model.centroids()(0, 0), (0.0 + 0.2 - 0.4 + 0.1) / 4.0, 1e-15, 1.0);
    EBM_COMPARE_REL(model.centroids()(1, 0), (6.0 + 6.5 + 5.8 + 6.1) / 4.0, 1e-15, 1.0);
    // A fixed point: the next step changes nothing.
    const Eigen::Matrix2Xd converged = model.centroids();
    const ebm::LloydStep again = model.lloydStep(data);
    QCOMPARE(again.assignments, expected);
    QVERIFY(!again.moved);
    QVERIFY(model.centroids() == converged);
}

void TestKMeans::emptyClusterKeepsItsCentroidAndTiesGoToTheSmallerIndex()
{
    Eigen::Matrix2Xd init(2, 3);
    init << -1.0, 1.0, 50.0, 0.0, 0.0, 50.0;
    KMeans model(init);
    // (0, 0) is exactly as far from w_0 as from w_1: it goes to cluster 0.
    QCOMPARE(model.assign({0.0, 0.0}).k, 0);
    QCOMPARE(model.assign({0.0, 0.0}).value, 1.0);
    const std::vector<Vec2> data = {{0.0, 0.0}, {-2.0, 0.0}, {2.0, 1.0}};
    const ebm::LloydStep step = model.lloydStep(data);
    QCOMPARE(step.assignments, (std::vector<int>{0, 0, 1}));
    QCOMPARE(step.emptyClusters, 1);
    QCOMPARE(Vec2(model.centroids().col(2)), Vec2(50.0, 50.0));
    QCOMPARE(Vec2(model.centroids().col(0)), Vec2(-1.0, 0.0));
    QCOMPARE(Vec2(model.centroids().col(1)), Vec2(2.0, 1.0));
}

void TestKMeans::initialisationTakesDistinctSeededDataPoints()
{
    const std::vector<Vec2> data = ebm::familyData(3);
    QCOMPARE(static_cast<int>(data.size()), 50);
    const KMeans a = KMeans::fromData(data, ebm::kLectureClusters, 11);
    const KMeans b = KMeans::fromData(data, ebm::kLectureClusters, 11);
    const KMeans c = KMeans::fromData(data, ebm::kLectureClusters, 12);
    QCOMPARE(a.k(), 15);
    QVERIFY(a.centroids() == b.centroids());
    QVERIFY(a.centroids() != c.centroids());
    std::set<size_t> used;
    for (int k = 0; k < a.k(); ++k) {
        size_t found = data.size();
        for (size_t i = 0; i < data.size(); ++i) {
            if (Vec2(a.centroids().col(k)) == data[i])
                found = i;
        }
        QVERIFY2(found < data.size(), "every centroid is a data point");
        used.insert(found);
    }
    QCOMPARE(static_cast<int>(used.size()), 15);
    // K = |Y| takes every point once (a permutation).
    const KMeans all = KMeans::fromData(data, 50, 5);
    std::set<std::pair<double, double>> points;
    for (int k = 0; k < all.k(); ++k)
        points.insert({all.centroids()(0, k), all.centroids()(1, k)});
    QCOMPARE(static_cast<int>(points.size()), 50);
}

void TestKMeans::initialisationRejectsBadK()
{
    const std::vector<Vec2> data = ebm::familyData(0, 5);
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, KMeans::fromData(data, 6, 0));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, KMeans::fromData(data, 0, 0));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, KMeans(Eigen::Matrix2Xd(2, 0)));
}

void TestKMeans::freeEnergyMatchesLongDoubleOracle_data()
{
    QTest::addColumn<double>("beta");
    for (double beta : {1e-9, 1e-6, 1e-3, 0.1, 1.0, 10.0, 1e3, 1e6})
        QTest::newRow(qPrintable(QString::number(beta))) << beta;
}

void TestKMeans::freeEnergyMatchesLongDoubleOracle()
{
    QFETCH(double, beta);
    ebm::Rng rng(42);
    const KMeans model(randomCentroids(rng, 15));
    for (int t = 0; t < 200; ++t) {
        const Vec2 y(8.0 * rng.uniform() - 4.0, 8.0 * rng.uniform() - 4.0);
        const double expected = static_cast<double>(referenceFreeEnergy(model.energies(y), beta));
        EBM_COMPARE_REL(model.freeEnergy(y, beta), expected, 1e-12, 1e-3);
    }
    // Far away and cold: the naive sum would underflow (PITFALLS); log-sum-exp does not.
    const Vec2 far(900.0, -900.0);
    EBM_COMPARE_REL(model.freeEnergy(far, beta), static_cast<double>(referenceFreeEnergy(model.energies(far), beta)),
                    1e-12, 1.0);
}

void TestKMeans::freeEnergyLimitsAndBounds()
{
    ebm::Rng rng(7);
    const KMeans model(randomCentroids(rng, 15));
    const double logK = std::log(15.0);
    for (int t = 0; t < 100; ++t) {
        const Vec2 y(6.0 * rng.uniform() - 3.0, 6.0 * rng.uniform() - 3.0);
        const double fInf = model.assign(y).value, mean = model.meanEnergy(y);
        QCOMPARE(model.freeEnergy(y, kInf), fInf);
        // Cold: F_inf <= F_beta <= F_inf + log(K) / beta.
        for (double beta : {1e2, 1e4, 1e6}) {
            const double f = model.freeEnergy(y, beta);
            QVERIFY(f >= fInf - 1e-15 * std::max(1.0, fInf));
            QVERIFY(f <= fInf + logK / beta + 1e-12);
        }
        // Hot: F_beta -> mean_k E_k, with F_beta = mean - beta var/2 + O(beta^2).
        EBM_COMPARE_REL(model.freeEnergy(y, 1e-9), mean, 1e-7, 1.0);
        // Non-increasing in beta, between the two limits.
        double previous = mean * (1.0 + 1e-14);
        for (double beta : {1e-6, 1e-3, 0.1, 1.0, 10.0, 1e3, 1e6}) {
            const double f = model.freeEnergy(y, beta);
            QVERIFY(f <= previous + 1e-12);
            QVERIFY(f >= fInf - 1e-12);
            previous = f;
        }
    }
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, model.freeEnergy({0.0, 0.0}, 0.0));
}

void TestKMeans::posteriorIsADistribution()
{
    Eigen::Matrix2Xd w(2, 3);
    w << -1.0, 1.0, 0.0, 0.0, 0.0, 3.0;
    const KMeans model(w);
    const std::vector<double> tied = model.posterior({0.0, 0.0}, kInf);
    QCOMPARE(tied, (std::vector<double>{0.5, 0.5, 0.0}));
    for (double beta : {1e-6, 0.5, 3.0, 1e5}) {
        const std::vector<double> p = model.posterior({0.3, 0.7}, beta);
        double sum = 0.0;
        for (double v : p)
            sum += v;
        EBM_COMPARE_REL(sum, 1.0, 1e-15, 1.0);
        // Ratios are Boltzmann factors.
        const std::vector<double> e = model.energies({0.3, 0.7});
        if (beta < 100.0)
            EBM_COMPARE_REL(p[0] / p[2], std::exp(-beta * (e[0] - e[2])), 1e-12, 0.0);
    }
}

void TestKMeans::gradientsMatchFiniteDifferences_data()
{
    QTest::addColumn<double>("beta");
    QTest::newRow("cold") << kInf;
    QTest::newRow("beta 0.5") << 0.5;
    QTest::newRow("beta 2") << 2.0;
    QTest::newRow("beta 20") << 20.0;
}

void TestKMeans::gradientsMatchFiniteDifferences()
{
    QFETCH(double, beta);
    ebm::Rng rng(3);
    KMeans model(randomCentroids(rng, 6));
    const auto f = [&](const KMeans &m, const Vec2 &y) {
        return std::isinf(beta) ? m.assign(y).value : m.freeEnergy(y, beta);
    };
    const double h = 1e-6;
    for (int t = 0; t < 40; ++t) {
        const Vec2 y(5.0 * rng.uniform() - 2.5, 5.0 * rng.uniform() - 2.5);
        const std::vector<double> e = model.energies(y);
        std::vector<double> sorted = e;
        std::sort(sorted.begin(), sorted.end());
        if (std::isinf(beta) && sorted[1] - sorted[0] < 1e-3)
            continue; // F_inf has a kink where two centroids tie
        const Vec2 g = model.gradY(y, beta);
        for (int d = 0; d < 2; ++d) {
            Vec2 up = y, down = y;
            up[d] += h;
            down[d] -= h;
            EBM_COMPARE_REL(g[d], (f(model, up) - f(model, down)) / (2 * h), 1e-6, 1.0);
        }
        const Eigen::Matrix2Xd gw = model.gradCentroids(y, beta);
        for (int k = 0; k < model.k(); ++k) {
            for (int d = 0; d < 2; ++d) {
                KMeans up = model, down = model;
                Vec2 c = model.centroids().col(k);
                c[d] += h;
                up.setCentroid(k, c);
                c[d] -= 2 * h;
                down.setCentroid(k, c);
                EBM_COMPARE_REL(gw(d, k), (f(up, y) - f(down, y)) / (2 * h), 1e-6, 1.0);
            }
        }
    }
}

QTEST_APPLESS_MAIN(TestKMeans)
#include "tst_kmeans.moc"
