// The latent panel draws the core's numbers: the E curve, z_check, F_inf, F_beta and the posterior, exactly.
#include "fuzzycompare.h"
#include "latentpanel.h"
#include "math/ellipseebm.h"

#include <qcustomplot.h>

#include <QImage>
#include <QTest>

#include <cmath>
#include <numeric>

using namespace ebm;

Q_DECLARE_METATYPE(ebm::Vec2)

class TestLatentPanel : public QObject
{
    Q_OBJECT

private slots:
    void showsTheCoreNumbers_data();
    void showsTheCoreNumbers();
    void sampledDiracAtInfiniteBeta();
    void grabIsNotBlank();
};

namespace {

//! The read-outs' format: 4 decimals, and no "-0.0000" for a value that rounds to zero.
QString formatted(double v)
{
    const QString s = QString::number(v, 'f', 4);
    return s == QStringLiteral("-0.0000") ? QStringLiteral("0.0000") : s;
}

//! How many distinct colours the image has, up to a cap: a blank or single-colour grab has one.
int distinctColours(const QImage &image, int cap)
{
    QList<QRgb> seen;
    for (int y = 0; y < image.height(); y += 3) {
        for (int x = 0; x < image.width(); x += 3) {
            const QRgb c = image.pixel(x, y);
            if (!seen.contains(c)) {
                seen.append(c);
                if (seen.size() >= cap)
                    return cap;
            }
        }
    }
    return int(seen.size());
}

} // namespace

void TestLatentPanel::showsTheCoreNumbers_data()
{
    QTest::addColumn<double>("w1");
    QTest::addColumn<double>("w2");
    QTest::addColumn<int>("latentCount"); // 0: the continuous latent
    QTest::addColumn<Vec2>("y");
    QTest::addColumn<double>("beta");

    QTest::newRow("lecture N=48 beta=1") << 2.0 << 1.5 << 48 << Vec2(1.0, 0.8) << 1.0;
    QTest::newRow("centre beta=10") << 2.0 << 1.5 << 48 << Vec2(0.0, 0.0) << 10.0;
    QTest::newRow("centre beta=inf (tie)") << 2.0 << 1.5 << 48 << Vec2(0.0, 0.0) << kInfiniteBeta;
    QTest::newRow("outside hot") << 2.0 << 1.5 << 48 << Vec2(2.5, -2.0) << 1e-3;
    QTest::newRow("N=6 cold") << 1.0 << 1.0 << 6 << Vec2(-0.7, 0.3) << 1e3;
    QTest::newRow("N=1") << 1.2 << 0.7 << 1 << Vec2(0.4, 0.4) << 2.0;
    QTest::newRow("on the manifold inf") << 2.0 << 1.5 << 48 << Vec2(2.0, 0.0) << kInfiniteBeta;
    QTest::newRow("continuous beta=1") << 2.0 << 1.5 << 0 << Vec2(1.0, 0.8) << 1.0;
    QTest::newRow("continuous beta=inf") << 2.0 << 1.5 << 0 << Vec2(1.0, 0.8) << kInfiniteBeta;
    QTest::newRow("continuous circle beta=30") << 1.0 << 1.0 << 0 << Vec2(0.3, -0.2) << 30.0;
}

void TestLatentPanel::showsTheCoreNumbers()
{
    QFETCH(double, w1);
    QFETCH(double, w2);
    QFETCH(int, latentCount);
    QFETCH(Vec2, y);
    QFETCH(double, beta);
    const EllipseParams w{w1, w2};
    const EllipseEbm model(w, latentCount == 0 ? LatentSpec::continuous() : LatentSpec::sampled(latentCount));

    LatentPanel panel;
    panel.setState(model, y, beta);

    const QVector<double> z = panel.curveZ(), e = panel.curveEnergy();
    QVERIFY(z.size() >= 400);
    QCOMPARE(e.size(), z.size());
    QCOMPARE(z.front(), 0.0);
    QVERIFY(z.back() <= kTwoPi);
    for (qsizetype i = 0; i < z.size(); ++i) {
        if (i > 0)
            QVERIFY(z[i] > z[i - 1]);
        QCOMPARE(e[i], ebm::energy(y, z[i], w)); // exactly the core's energy, no smoothing
    }

    const Inference inference = model.infer(y, beta);
    QCOMPARE(panel.markedZCheck(), model.zeroTemperature(y).z);
    QCOMPARE(panel.zeroTemperatureLine(), model.zeroTemperature(y).value);
    QCOMPARE(panel.freeEnergyLine(), inference.freeEnergy);
    QVERIFY(panel.zeroTemperatureLine() <= panel.freeEnergyLine() + 1e-12);

    const QVector<double> bars = panel.posteriorBars();
    if (latentCount == 0) {
        QVERIFY(bars.isEmpty());
    } else {
        const std::vector<double> p = model.posterior(y, beta);
        QCOMPARE(bars.size(), qsizetype(p.size()));
        for (qsizetype k = 0; k < bars.size(); ++k)
            QCOMPARE(bars[k], p[size_t(k)]);
        EBM_COMPARE_REL(std::accumulate(bars.begin(), bars.end(), 0.0), 1.0, 1e-12, 1.0);
    }

    const QString text = panel.readoutText();
    QVERIFY2(text.contains(QStringLiteral("F∞ = ") + formatted(inference.zeroTemperature.value)), qPrintable(text));
    QVERIFY2(text.contains(QStringLiteral("Fᵦ = ") + formatted(inference.freeEnergy)), qPrintable(text));
    QVERIFY2(text.contains(QStringLiteral("ž = ") + formatted(inference.zeroTemperature.z)), qPrintable(text));
    QVERIFY2(text.contains(formatted(inference.posteriorMean.x())), qPrintable(text));
    QVERIFY2(text.contains(QStringLiteral("y = (%1, %2)").arg(formatted(y.x()), formatted(y.y()))), qPrintable(text));
    QVERIFY2(text.contains(std::isinf(beta) ? QStringLiteral("β = ∞") : QStringLiteral("β = ")), qPrintable(text));
}

void TestLatentPanel::sampledDiracAtInfiniteBeta()
{
    // At beta = inf the sampled posterior is one bar of height 1 at z_check.
    const EllipseEbm model(EllipseParams{2.0, 1.5}, LatentSpec::sampled(48));
    const Vec2 y(1.0, 0.8);
    LatentPanel panel;
    panel.setState(model, y, kInfiniteBeta);
    const QVector<double> bars = panel.posteriorBars();
    const int k = model.zeroTemperature(y).k;
    for (qsizetype j = 0; j < bars.size(); ++j)
        QCOMPARE(bars[j], j == k ? 1.0 : 0.0);
    QCOMPARE(panel.freeEnergyLine(), panel.zeroTemperatureLine());
}

void TestLatentPanel::grabIsNotBlank()
{
    struct Case
    {
        const char *name;
        LatentSpec latents;
        Vec2 y;
        double beta;
    };
    const Case cases[] = {{"sampled", LatentSpec::sampled(48), Vec2(1.0, 0.8), 1.0},
                          {"centre", LatentSpec::sampled(48), Vec2(0.0, 0.0), 10.0},
                          {"continuous_warm", LatentSpec::continuous(), Vec2(1.0, 0.8), 5.0},
                          {"continuous_cold", LatentSpec::continuous(), Vec2(1.0, 0.8), kInfiniteBeta}};
    LatentPanel panel;
    panel.resize(600, 520);
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    for (const Case &c : cases) {
        panel.setState(EllipseEbm(EllipseParams{}, c.latents), c.y, c.beta);
        panel.plot()->replot(); // setState only queues one; the grab must see this state
        const QImage image = panel.grab().toImage();
        QVERIFY(image.width() >= 600 && image.height() >= 520);
        QVERIFY2(distinctColours(image, 16) >= 16, c.name);
        // Set EBM_SCREENSHOT_DIR to look at what a projector would show.
        const QString dir = qEnvironmentVariable("EBM_SCREENSHOT_DIR");
        if (!dir.isEmpty())
            image.save(QStringLiteral("%1/latentpanel_%2.png").arg(dir, QString::fromLatin1(c.name)));
    }
}

QTEST_MAIN(TestLatentPanel)
#include "tst_latentpanel.moc"
