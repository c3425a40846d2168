// The cross-section panel draws exactly the profile it is given, names every curve in its legend, and is not blank.
#include "math/section.h"
#include "sectionpanel.h"

#include <qcustomplot.h>

#include <QSet>
#include <QTest>

#include <cmath>

using namespace ebm;

class TestSectionPanel : public QObject
{
    Q_OBJECT

private slots:
    void drawsTheProfilesValues();
    void drawsADescendingSectionInProfileOrder();
    void legendNamesEveryCurve();
    void labelsFollowTheLine();
    void yRangeFitsTheData();
    void grabIsNotBlank();

private:
    static SectionProfile lectureProfile(std::vector<double> *betas = nullptr);
    static QStringList legendTexts(const SectionPanel &panel);
};

SectionProfile TestSectionPanel::lectureProfile(std::vector<double> *betas)
{
    std::vector<double> all{2.5};
    for (double beta : referenceBetas())
        all.push_back(beta);
    if (betas)
        *betas = all;
    return sectionProfile(EllipseEbm(), SectionLine{}, all, 301);
}

QStringList TestSectionPanel::legendTexts(const SectionPanel &panel)
{
    QStringList texts;
    QCPLegend *legend = panel.plot()->legend;
    for (int i = 0; i < legend->itemCount(); ++i) {
        if (auto *item = qobject_cast<QCPPlottableLegendItem *>(legend->item(i)))
            texts << item->plottable()->name();
    }
    return texts;
}

void TestSectionPanel::drawsTheProfilesValues()
{
    SectionPanel panel;
    const SectionProfile profile = lectureProfile();
    panel.setProfile(profile, 2.5, sectionAxisLabel(SectionLine{}));
    QCOMPARE(panel.curveCount(), int(profile.curves.size()));
    for (int c = 0; c < panel.curveCount(); ++c) {
        const QVector<double> drawn = panel.curveValues(c);
        QCOMPARE(drawn.size(), qsizetype(profile.s.size()));
        for (qsizetype i = 0; i < drawn.size(); ++i)
            QCOMPARE(drawn[i], profile.curves[size_t(c)].values[size_t(i)]);
    }
    // A second profile replaces the first rather than adding to it.
    const SectionProfile fewer = sectionProfile(EllipseEbm(), SectionLine{}, {0.5}, 11);
    panel.setProfile(fewer, 0.5, QStringLiteral("s"));
    QCOMPARE(panel.curveCount(), 1);
    QCOMPARE(panel.plot()->graphCount(), 1);
    QCOMPARE(panel.curveValues(0), QVector<double>(fewer.curves[0].values.begin(), fewer.curves[0].values.end()));
    QVERIFY(panel.curveValues(1).isEmpty());
}

void TestSectionPanel::drawsADescendingSectionInProfileOrder()
{
    // Drawn top to bottom, s = y2 decreases; the values still come back in the order of the profile.
    SectionPanel panel;
    const SectionLine line{Vec2(0.3, 2.5), Vec2(0.3, -2.0)};
    const SectionProfile profile = sectionProfile(EllipseEbm(), line, {kInfiniteBeta, 1.0}, 46);
    panel.setProfile(profile, 1.0, sectionAxisLabel(line));
    for (int c = 0; c < 2; ++c) {
        const std::vector<double> &expected = profile.curves[size_t(c)].values;
        QCOMPARE(panel.curveValues(c), QVector<double>(expected.begin(), expected.end()));
    }
    QCOMPARE(panel.plot()->xAxis->range().lower, -2.0);
    QCOMPARE(panel.plot()->xAxis->range().upper, 2.5);
}

void TestSectionPanel::legendNamesEveryCurve()
{
    SectionPanel panel;
    panel.setProfile(lectureProfile(), 2.5, sectionAxisLabel(SectionLine{}));
    const QStringList texts = legendTexts(panel);
    QCOMPARE(texts.size(), 4);
    for (const QString &label : {QStringLiteral("β = ∞ (cold)"), QStringLiteral("β = 1 (warm)"),
                                 QStringLiteral("β = 0.1 (hot)"), QStringLiteral("β = 2.5 (current)")})
        QVERIFY2(texts.contains(label), qPrintable(texts.join(QStringLiteral(" | "))));
    // Hot on top, as the curves are stacked.
    QCOMPARE(texts.first(), QStringLiteral("β = 0.1 (hot)"));
    QCOMPARE(texts.last(), QStringLiteral("β = ∞ (cold)"));

    // The current curve is the prominent one: thicker than every reference.
    double currentWidth = 0.0, widestReference = 0.0;
    for (int i = 0; i < panel.plot()->graphCount(); ++i) {
        QCPGraph *graph = panel.plot()->graph(i);
        const double width = graph->pen().widthF();
        if (graph->name().endsWith(QStringLiteral("(current)")))
            currentWidth = width;
        else
            widestReference = std::max(widestReference, width);
    }
    QVERIFY(currentWidth > 1.4 * widestReference);
    // ... and painted last, over the references.
    QVERIFY(panel.plot()->graph(panel.plot()->graphCount() - 1)->name().endsWith(QStringLiteral("(current)")));

    // At zero temperature the current curve is also the cold one; a reference repeating it is folded in.
    const SectionProfile cold = sectionProfile(EllipseEbm(), SectionLine{}, {kInfiniteBeta, kInfiniteBeta, 0.1}, 11);
    panel.setProfile(cold, kInfiniteBeta, QStringLiteral("s"));
    QCOMPARE(legendTexts(panel),
             (QStringList{QStringLiteral("β = 0.1 (hot)"), QStringLiteral("β = ∞ (cold, current)")}));
    QCOMPARE(panel.curveCount(), 3);
    QCOMPARE(panel.curveValues(1), QVector<double>(cold.curves[1].values.begin(), cold.curves[1].values.end()));
    int visible = 0;
    for (int i = 0; i < panel.plot()->graphCount(); ++i)
        visible += panel.plot()->graph(i)->visible() ? 1 : 0;
    QCOMPARE(visible, 2);
}

void TestSectionPanel::labelsFollowTheLine()
{
    QCOMPARE(sectionAxisLabel(SectionLine{}), QStringLiteral("y₂ along y₁ = 0"));
    QCOMPARE(sectionAxisLabel({Vec2(-3.0, 0.5), Vec2(3.0, 0.5)}), QStringLiteral("y₁ along y₂ = 0.5"));
    QCOMPARE(sectionAxisLabel({Vec2(-1.0, -2.0), Vec2(2.0, 2.0)}), QStringLiteral("distance from (-1, -2)"));
    QCOMPARE(sectionCurveLabel(1e-3, false), QStringLiteral("β = 0.001"));
    QCOMPARE(sectionCurveLabel(1000.0, true), QStringLiteral("β = 1000 (current)"));
    QCOMPARE(sectionCurveLabel(1.0, true), QStringLiteral("β = 1 (warm, current)"));

    SectionPanel panel;
    panel.setProfile(lectureProfile(), 2.5, sectionAxisLabel(SectionLine{}));
    QCOMPARE(panel.plot()->xAxis->label(), QStringLiteral("y₂ along y₁ = 0"));
    QCOMPARE(panel.plot()->yAxis->label(), QStringLiteral("F(y)"));
}

void TestSectionPanel::yRangeFitsTheData()
{
    SectionPanel panel;
    const SectionProfile profile = lectureProfile();
    panel.setProfile(profile, 2.5, sectionAxisLabel(SectionLine{}));
    double lo = INFINITY, hi = -INFINITY;
    for (const SectionCurve &curve : profile.curves) {
        for (double v : curve.values) {
            lo = std::min(lo, v);
            hi = std::max(hi, v);
        }
    }
    const QCPRange y = panel.plot()->yAxis->range(), x = panel.plot()->xAxis->range();
    // Everything visible, with a margin of no more than a tenth of the data's span on either side.
    QVERIFY(y.lower < lo && y.lower > lo - 0.1 * (hi - lo));
    QVERIFY(y.upper > hi && y.upper < hi + 0.1 * (hi - lo));
    QCOMPARE(x.lower, -3.0);
    QCOMPARE(x.upper, 3.0);
}

void TestSectionPanel::grabIsNotBlank()
{
    SectionPanel panel;
    panel.resize(600, 400);
    panel.setProfile(lectureProfile(), 2.5, sectionAxisLabel(SectionLine{}));
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    QTest::qWait(100); // the queued replot
    const QImage image = panel.grab().toImage();
    QVERIFY(!image.isNull());
    // Each curve's colour appears: the plot was drawn, not just its background.
    QSet<QRgb> colours;
    for (int y = 0; y < image.height(); ++y) {
        for (int x = 0; x < image.width(); ++x)
            colours.insert(image.pixel(x, y) & 0xffffff);
    }
    for (int i = 0; i < panel.plot()->graphCount(); ++i) {
        const QRgb pen = panel.plot()->graph(i)->pen().color().rgb() & 0xffffff;
        QVERIFY2(colours.contains(pen), qPrintable(panel.plot()->graph(i)->name()));
    }
    QVERIFY2(colours.size() > 20, qPrintable(QStringLiteral("only %1 colours").arg(colours.size())));
}

QTEST_MAIN(TestSectionPanel)
#include "tst_sectionpanel.moc"
