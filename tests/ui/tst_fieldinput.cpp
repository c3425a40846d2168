// Every number field a person can type into (parameter panel, training panel, export dialog) has a range set on
// purpose, and whatever is typed ("1e99", "-5", "abc", "nan", …) leaves a finite value inside that range which the
// field then shows: out-of-range numbers are clamped, characters that make no number are refused as they are typed.
#include "exportdialog.h"
#include "parameterpanel.h"
#include "trainingpanel.h"

#include <QAbstractSpinBox>
#include <QDoubleSpinBox>
#include <QSpinBox>
#include <QTest>

#include <cmath>
#include <functional>
#include <memory>

using namespace ebm;

class TestFieldInput : public QObject
{
    Q_OBJECT

private slots:
    void everyFieldKeepsItsRange_data();
    void everyFieldKeepsItsRange();
    void trainedWBeyondTheTypedRangeIsShownAsItIs();
};

namespace {

struct Range
{
    double lo, hi, value;
};

Range rangeOf(QAbstractSpinBox *box)
{
    if (auto *d = qobject_cast<QDoubleSpinBox *>(box))
        return {d->minimum(), d->maximum(), d->value()};
    auto *s = qobject_cast<QSpinBox *>(box);
    return {double(s->minimum()), double(s->maximum()), double(s->value())};
}

QString cleanText(QAbstractSpinBox *box)
{
    if (auto *d = qobject_cast<QDoubleSpinBox *>(box))
        return d->cleanText();
    return qobject_cast<QSpinBox *>(box)->cleanText();
}

QString expectedText(QAbstractSpinBox *box, double value)
{
    if (auto *d = qobject_cast<QDoubleSpinBox *>(box))
        return box->locale().toString(value, 'f', d->decimals()).remove(box->locale().groupSeparator());
    return box->locale().toString(qlonglong(value)).remove(box->locale().groupSeparator());
}

using Factory = std::function<QWidget *()>;

} // namespace

Q_DECLARE_METATYPE(Factory)

void TestFieldInput::everyFieldKeepsItsRange_data()
{
    QTest::addColumn<Factory>("make");
    QTest::addColumn<QString>("text");
    const std::pair<const char *, Factory> widgets[] = {
        {"parameters", [] { return new ParameterPanel; }},
        {"training", [] { return new TrainingPanel; }},
        {"export dialog", [] { return new ExportDialog; }},
    };
    for (const auto &[name, make] : widgets) {
        for (const char *text : {"1e99", "-5", "abc", "nan", "inf", "-1e99", "99999999999", "", "0.5", "-0"})
            QTest::addRow("%s: \"%s\"", name, text) << make << QString::fromLatin1(text);
    }
}

void TestFieldInput::everyFieldKeepsItsRange()
{
    QFETCH(Factory, make);
    QFETCH(QString, text);
    std::unique_ptr<QWidget> widget(make());
    widget->show();
    QVERIFY(QTest::qWaitForWindowExposed(widget.get()));
    const auto boxes = widget->findChildren<QAbstractSpinBox *>();
    QVERIFY(!boxes.isEmpty());
    for (QAbstractSpinBox *box : boxes) {
        const Range before = rangeOf(box);
        const QString name = box->objectName().isEmpty() ? box->toolTip().left(40) : box->objectName();
        // Set on purpose: finite, ordered, and not Qt's default 0 … 99 (or 0 … 99.99).
        QVERIFY2(std::isfinite(before.lo) && std::isfinite(before.hi) && before.lo < before.hi, qPrintable(name));
        QVERIFY2(!(before.lo == 0.0 && (before.hi == 99.0 || before.hi == 99.99)),
                 qPrintable(name + QStringLiteral(": the default range")));
        if (!box->isEnabled())
            continue;
        box->setFocus();
        QTest::keyClick(box, Qt::Key_A, Qt::ControlModifier);
        QTest::keyClicks(box, text);
        QTest::keyClick(box, Qt::Key_Return);
        const Range after = rangeOf(box);
        QVERIFY2(std::isfinite(after.value) && after.value >= after.lo && after.value <= after.hi,
                 qPrintable(QStringLiteral("%1 holds %2 after \"%3\"").arg(name).arg(after.value).arg(text)));
        // What the field shows is the value it holds: nothing half-typed stays behind.
        QVERIFY2(cleanText(box) == expectedText(box, after.value),
                 qPrintable(QStringLiteral("%1 shows \"%2\" but holds %3").arg(name, box->text()).arg(after.value)));
        QCOMPARE(after.lo, before.lo); // typing never moves a range
        QCOMPARE(after.hi, before.hi);
    }
    if (auto *panel = qobject_cast<ParameterPanel *>(widget.get())) {
        // The panel's state is what its fields show.
        const LabState &s = panel->state();
        QCOMPARE(panel->w1Box()->value(), std::round(s.w.w1 * 1000) / 1000);
        QCOMPARE(panel->betaBox()->value(), std::round(s.beta * 1e4) / 1e4);
        QVERIFY(s.beta >= 1e-3 && s.beta <= 1e3);
        QCOMPARE(panel->latentsBox()->value(), s.latentCount);
    }
}

void TestFieldInput::trainedWBeyondTheTypedRangeIsShownAsItIs()
{
    // Training takes w wherever the gradient goes (the lecture's own data reach rho ~ 14.8); the boxes showed a
    // clamped 10 while the plane drew another ellipse.
    ParameterPanel panel;
    LabState s;
    s.w = EllipseParams{14.8, -250.0};
    panel.setState(s);
    QCOMPARE(panel.w1Box()->value(), 14.8);
    QCOMPARE(panel.w2Box()->value(), -250.0);
    QVERIFY(panel.state() == s);
    // Typing still clamps, to the range a person types in (at least the lecture's data, |w| <= 100).
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    panel.w1Box()->setFocus();
    QTest::keyClick(panel.w1Box(), Qt::Key_A, Qt::ControlModifier);
    QTest::keyClicks(panel.w1Box(), QStringLiteral("20"));
    QTest::keyClick(panel.w1Box(), Qt::Key_Return);
    QCOMPARE(panel.state().w.w1, 20.0);
}

QTEST_MAIN(TestFieldInput)
#include "tst_fieldinput.moc"
