// The seeded random stream: bit-exact reproducibility for a seed, and the distributions built on it.
#include "math/rng.h"

#include "exactcompare.h"
#include "fuzzycompare.h"

#include <QTest>

#include <cmath>
#include <cstdint>
#include <set>

using ebm::Rng;

namespace {

constexpr int kDraws = 1000000;

} // namespace

class RngTest : public QObject
{
    Q_OBJECT

private slots:
    void storedIntegerStream_data();
    void storedIntegerStream();
    void storedNormals();
    void sameSeedSameStream();
    void differentSeedsDiffer();
    void uniformMoments();
    void normalMoments();
};

void RngTest::storedIntegerStream_data()
{
    QTest::addColumn<quint64>("seed");
    QTest::addColumn<QList<quint64>>("expected");
    // xoshiro256** seeded by splitmix64, recorded once from this code and confirmed against an
    // independent Python transcription of Vigna's reference algorithms. Integer arithmetic only,
    // so these must hold bit for bit on every platform and compiler (MODEL.md §2).
    QTest::newRow("seed 0") << quint64(0)
                            << QList<quint64>{0x99ec5f36cb75f2b4ULL, 0xbf6e1f784956452aULL, 0x1a5f849d4933e6e0ULL,
                                              0x6aa594f1262d2d2cULL, 0xbba5ad4a1f842e59ULL};
    QTest::newRow("seed 7") << quint64(7)
                            << QList<quint64>{0xb358faf74ef9765aULL, 0x475c3d964f482cd2ULL, 0xd6f1d349952c7996ULL,
                                              0xfb2938731e807240ULL, 0xfda904ec7e540318ULL};
    QTest::newRow("seed 20240601") << quint64(20240601)
                                   << QList<quint64>{0x59761096949c683dULL, 0x7e436068556fab29ULL,
                                                     0xe6a51fbfd60edd06ULL, 0x938809d8706c1c30ULL,
                                                     0xb143626883885b9dULL};
}

void RngTest::storedIntegerStream()
{
    QFETCH(quint64, seed);
    QFETCH(QList<quint64>, expected);
    Rng rng(seed);
    for (quint64 value : expected)
        QCOMPARE(quint64(rng.next()), value);
    // uniform() is the top 53 bits of the next integer, scaled by 2^-53: exact, so bit-exact too.
    Rng a(seed), b(seed);
    for (int i = 0; i < 1000; ++i)
        EBM_COMPARE_EXACT(a.uniform(), static_cast<double>(b.next() >> 11) * 0x1.0p-53);
}

void RngTest::storedNormals()
{
    // The polar method goes through log and sqrt: sqrt is correctly rounded everywhere, but log may
    // differ by an ulp between libms, so these are compared to 1e-14 relative instead of exactly.
    Rng rng(7);
    for (int i = 0; i < 3; ++i)
        rng.uniform();
    const double expected[] = {-0.88093740675362475, -0.21444943924567766, -1.1830964627054021, 0.14056324985815527};
    for (double e : expected)
        EBM_COMPARE_REL(rng.normal(), e, 1e-14, 0.0);
}

void RngTest::sameSeedSameStream()
{
    Rng a(123456789), b(123456789);
    for (int i = 0; i < 10000; ++i) {
        QCOMPARE(a.next(), b.next());
        EBM_COMPARE_EXACT(a.normal(), b.normal()); // including the cached second variate of each pair
    }
}

void RngTest::differentSeedsDiffer()
{
    // 64-bit outputs of 1000 neighbouring seeds: any collision would mean the seed is not mixed in.
    std::set<std::uint64_t> first;
    for (std::uint64_t seed = 0; seed < 1000; ++seed)
        first.insert(Rng(seed).next());
    QCOMPARE(first.size(), size_t(1000));
    Rng a(1), b(2);
    int equal = 0;
    for (int i = 0; i < 100; ++i)
        equal += a.next() == b.next();
    QCOMPARE(equal, 0);
}

void RngTest::uniformMoments()
{
    Rng rng(2024);
    double sum = 0, sumSq = 0;
    int bins[10] = {};
    for (int i = 0; i < kDraws; ++i) {
        const double u = rng.uniform();
        QVERIFY(u >= 0.0 && u < 1.0);
        sum += u;
        sumSq += (u - 0.5) * (u - 0.5);
        ++bins[static_cast<int>(u * 10)];
    }
    const double n = kDraws;
    // 5 standard errors: sd(u) = 1/sqrt(12); sd((u - 1/2)^2) = sqrt(1/80 - 1/144).
    QVERIFY2(std::abs(sum / n - 0.5) <= 5 * std::sqrt(1.0 / 12 / n), qPrintable(QString::number(sum / n)));
    QVERIFY2(std::abs(sumSq / n - 1.0 / 12) <= 5 * std::sqrt((1.0 / 80 - 1.0 / 144) / n),
             qPrintable(QString::number(sumSq / n)));
    // Each tenth of [0, 1) holds a binomial(n, 1/10) count: sd = sqrt(n 0.1 0.9) = 300.
    for (int count : bins)
        QVERIFY2(std::abs(count - n / 10) <= 5 * std::sqrt(n * 0.09), qPrintable(QString::number(count)));
}

void RngTest::normalMoments()
{
    Rng rng(99);
    double sum = 0, sumSq = 0, sum4 = 0;
    int withinOne = 0;
    for (int i = 0; i < kDraws; ++i) {
        const double x = rng.normal();
        QVERIFY(std::isfinite(x));
        sum += x;
        sumSq += x * x;
        sum4 += x * x * x * x;
        withinOne += std::abs(x) < 1.0;
    }
    const double n = kDraws;
    // Standard errors for N(0, 1): mean 1/sqrt(n); x^2 sqrt(2/n); x^4 sqrt((105 - 9)/n);
    // the fraction within one sigma, p = erf(1/sqrt 2), sqrt(p (1 - p) / n). Tolerances are 5 of them.
    // The fourth moment and the one-sigma fraction tell a Gaussian from other unit-variance shapes.
    QVERIFY2(std::abs(sum / n) <= 5 / std::sqrt(n), qPrintable(QString::number(sum / n)));
    QVERIFY2(std::abs(sumSq / n - 1.0) <= 5 * std::sqrt(2.0 / n), qPrintable(QString::number(sumSq / n)));
    QVERIFY2(std::abs(sum4 / n - 3.0) <= 5 * std::sqrt(96.0 / n), qPrintable(QString::number(sum4 / n)));
    const double p = std::erf(1.0 / std::sqrt(2.0));
    QVERIFY2(std::abs(withinOne / n - p) <= 5 * std::sqrt(p * (1 - p) / n), qPrintable(QString::number(withinOne / n)));
}

QTEST_APPLESS_MAIN(RngTest)
#include "tst_rng.moc"
