// Sessions: a round trip gives back the identical session, bit for bit; every malformed, hostile or future file is
// refused with a message naming the problem; a failed write leaves no file.
#include "io/session.h"

#include "io/csvio.h"
#include "math/dataset.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <bit>
#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <random>

using namespace ebm;

Q_DECLARE_METATYPE(ebm::Session)

namespace {

std::vector<TracePoint> traceOf(int rows, std::uint64_t seed)
{
    // Doubles of every magnitude and many mantissa bits, as a real run produces them.
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<double> unit(-1.0, 1.0);
    std::uniform_int_distribution<int> exponent(-300, 5);
    std::vector<TracePoint> trace;
    for (int k = 0; k < rows; ++k) {
        const double w1 = unit(rng) * std::pow(10.0, std::min(exponent(rng), 5));
        const double w2 = unit(rng) * 3.0;
        trace.push_back({k, {w1, w2}, std::abs(unit(rng)) * std::pow(10.0, exponent(rng) + 290)});
    }
    return trace;
}

Session lectureSession()
{
    Session s;
    s.data = ellipseSamples(s.state.dataset);
    return s;
}

Session everythingChanged()
{
    Session s;
    LabState &st = s.state;
    st.w = {-0.7, 9.999999999999998};
    st.latentCount = 1024;
    st.continuousLatent = true;
    st.beta = 0.001;
    st.zeroTemperature = true;
    st.field = FieldKind::Posterior;
    st.zStar = 6.2832;
    st.margin = 100.0;
    st.resolution = 50;
    st.colorMap = ColorMap::ColdToHot;
    st.dataset = {2000, -0.25, 2.0, std::numeric_limits<std::uint64_t>::max()};
    st.observation = Vec2(-1e6, 1e6);
    st.sectionY1 = -2.5;
    st.latentsByPosterior = false;
    st.layers = {false, false, false, false, false, true, true, false, true};
    s.data = ellipseSamples({7, 0.5, 0.3, 99});
    s.customData = true;
    s.view = {-0.5, 0.25, 1.0 / 3.0, 2.0 / 3.0};
    TrainingConfig &c = s.training;
    c.loss = {LossKind::Nll, 0.002, 99.5, {-4.0, 4.5, -1.0, 2.0}, 1000, 1};
    c.negatives = {NegativeStrategy::Offending, 64, (std::uint64_t(1) << 53) + 1, 0.125, 1000, 1e6};
    c.latents = LatentSpec::continuous();
    c.learningRate = 1e-4;
    c.init = {-1e6, 1e6};
    s.trace = traceOf(12, 3);
    s.lesson = 4;
    return s;
}

Session awkwardNumbers()
{
    Session s;
    const double awkward[] = {0.1,
                              1.0 / 3.0,
                              5e-324, // the smallest subnormal
                              2.2250738585072014e-308,
                              std::nextafter(1.0, 2.0),
                              std::nextafter(1e6, 0.0),
                              12345.678901234567,
                              3.141592653589793,
                              -1e6,
                              1e6,
                              -0.0};
    for (double a : awkward)
        s.data.emplace_back(a, -a);
    s.customData = true;
    s.state.observation = Vec2(0.1 + 0.2, -std::nextafter(0.0, 1.0));
    s.state.beta = 0.1 + 0.2;
    s.training.loss.beta = 999.9999999999999;
    s.training.learningRate = 0.30000000000000004;
    s.trace = {{0, {0.1, 0.2}, 1.7976931348623157e308}, {1, {-0.0, 5e-324}, -0.0}, {2, {1e-300, -1e-300}, 4.9e-324}};
    return s;
}

//! Bit-identical, except that -0 comes back as 0: Qt's JSON writes -0.0 as "0" and reads "-0.0" as 0 (measured,
//! Qt 6.4). Nothing the lab computes depends on the sign of a zero coordinate.
bool bitIdentical(double a, double b)
{
    return std::bit_cast<std::uint64_t>(a) == std::bit_cast<std::uint64_t>(b) || (a == 0.0 && b == 0.0);
}

//! A valid session's JSON with one change made at a key path ("state.dataset.seed"); an undefined value removes.
QByteArray mutated(const QString &path, const QJsonValue &value)
{
    std::function<QJsonObject(QJsonObject, QStringList)> set = [&](QJsonObject object, QStringList keys) {
        const QString key = keys.takeFirst();
        if (keys.isEmpty()) {
            if (value.isUndefined())
                object.remove(key);
            else
                object.insert(key, value);
        } else {
            object.insert(key, set(object.value(key).toObject(), keys));
        }
        return object;
    };
    const QJsonObject root = QJsonDocument::fromJson(sessionToJson(everythingChanged())).object();
    return QJsonDocument(set(root, path.split(QLatin1Char('.')))).toJson();
}

//! The same, with the value spliced in as raw text (for numbers JSON libraries would not write).
QByteArray withRaw(const QString &path, const QByteArray &raw)
{
    const QByteArray marker("\"@@raw@@\"");
    QByteArray json = mutated(path, QStringLiteral("@@raw@@"));
    return json.replace(marker, raw);
}

QByteArray zeros(qsizetype count)
{
    QByteArray text("[");
    text.reserve(count * 2 + 2);
    for (qsizetype i = 0; i < count; ++i)
        text += i ? ",0" : "0";
    return text + ']';
}

} // namespace

class TestSession : public QObject
{
    Q_OBJECT

private slots:
    void roundTripIsIdentical_data();
    void roundTripIsIdentical();
    void documentNamesItsFormat();
    void rejectsBadSessions_data();
    void rejectsBadSessions();
    void oversizedFileIsRefusedUnread();
    void missingFileIsAnError();
    void failedWriteLeavesNoFile_data();
    void failedWriteLeavesNoFile();
    void writesFuzzCorpus();
};

void TestSession::roundTripIsIdentical_data()
{
    QTest::addColumn<Session>("session");
    QTest::newRow("defaults, no data") << Session{};
    QTest::newRow("the lecture's data") << lectureSession();
    QTest::newRow("every value changed") << everythingChanged();
    QTest::newRow("awkward doubles") << awkwardNumbers();
    Session longRun = lectureSession();
    longRun.trace = traceOf(20000, 11);
    longRun.training.loss.kind = LossKind::Hinge;
    QTest::newRow("20000-epoch trace") << longRun;
}

void TestSession::roundTripIsIdentical()
{
    QFETCH(Session, session);
    QString error;
    const std::optional<Session> back = sessionFromJson(sessionToJson(session), &error);
    QVERIFY2(back, qPrintable(error));
    QVERIFY(back->state == session.state);
    QVERIFY(*back == session);
    // operator== compares values: compare the bits as well.
    QCOMPARE(back->data.size(), session.data.size());
    for (size_t i = 0; i < session.data.size(); ++i) {
        QVERIFY2(bitIdentical(back->data[i].x(), session.data[i].x()), qPrintable(QString::number(i)));
        QVERIFY(bitIdentical(back->data[i].y(), session.data[i].y()));
    }
    QCOMPARE(back->trace.size(), session.trace.size());
    for (size_t k = 0; k < session.trace.size(); ++k) {
        QVERIFY2(bitIdentical(back->trace[k].w.w1, session.trace[k].w.w1), qPrintable(QString::number(k)));
        QVERIFY(bitIdentical(back->trace[k].w.w2, session.trace[k].w.w2));
        QVERIFY(bitIdentical(back->trace[k].loss, session.trace[k].loss));
    }
    QVERIFY(bitIdentical(back->state.observation.y(), session.state.observation.y()));

    // Through a file as well.
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("s.json"));
    QCOMPARE(writeSession(path, session), QString());
    const std::optional<Session> fromFile = readSession(path, &error);
    QVERIFY2(fromFile, qPrintable(error));
    QVERIFY(*fromFile == session);
}

void TestSession::documentNamesItsFormat()
{
    const QJsonObject root = QJsonDocument::fromJson(sessionToJson(everythingChanged())).object();
    QCOMPARE(root.value(QStringLiteral("format")).toString(), QStringLiteral("ebmlab-session"));
    QCOMPARE(root.value(QStringLiteral("version")).toInt(), 1);
    const QJsonObject state = root.value(QStringLiteral("state")).toObject();
    QCOMPARE(state.value(QStringLiteral("field")).toString(), QStringLiteral("posterior"));
    QCOMPARE(state.value(QStringLiteral("colorMap")).toString(), QStringLiteral("cold-to-hot"));
    // A seed beyond 2^53 would lose bits as a JSON number: it is written as a decimal string.
    QCOMPARE(state.value(QStringLiteral("dataset")).toObject().value(QStringLiteral("seed")).toString(),
             QStringLiteral("18446744073709551615"));
    const QJsonObject training = root.value(QStringLiteral("training")).toObject();
    QCOMPARE(training.value(QStringLiteral("latents")).toString(), QStringLiteral("continuous"));
    QCOMPARE(QJsonDocument::fromJson(sessionToJson(Session{}))
                 .object()
                 .value(QStringLiteral("training"))
                 .toObject()
                 .value(QStringLiteral("beta"))
                 .toString(),
             QStringLiteral("inf"));
}

void TestSession::rejectsBadSessions_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("message");
    const QByteArray good = sessionToJson(everythingChanged());
    const QJsonValue gone(QJsonValue::Undefined); // the key is removed

    QTest::newRow("empty file") << QByteArray() << "not valid JSON";
    QTest::newRow("truncated") << good.left(good.size() / 2) << "not valid JSON (truncated or damaged?)";
    QTest::newRow("binary") << QByteArray("\x89PNG\r\n\x1a\n\0\0", 10) << "not valid JSON";
    QTest::newRow("nested 100000 deep") << QByteArray(100000, '[') + QByteArray(100000, ']') << "not valid JSON";
    QTest::newRow("root is an array") << QByteArray("[1, 2, 3]") << "the top level must be a JSON object";
    QTest::newRow("no format") << mutated("format", gone) << "format is missing";
    QTest::newRow("other format") << mutated("format", "plotjuggler-layout") << "format must be \"ebmlab-session\"";
    QTest::newRow("future version") << mutated("version", 7) << "version 7 is newer than this EBM Lab understands (1)";
    QTest::newRow("version as text") << mutated("version", "1") << "version must be a whole number";
    QTest::newRow("version 0") << mutated("version", 0) << "version must be a whole number of at least 1";
    QTest::newRow("no state") << mutated("state", gone) << "state is missing";
    QTest::newRow("state is a list") << mutated("state", QJsonArray{1, 2}) << "state must be an object, not an array";
    QTest::newRow("no beta") << mutated("state.beta", gone) << "state.beta is missing";
    QTest::newRow("beta negative") << mutated("state.beta", -1)
                                   << "state.beta must be a number in [0.001, 1000], not -1";
    QTest::newRow("beta zero") << mutated("state.beta", 0) << "state.beta must be a number in [0.001, 1000]";
    QTest::newRow("beta NaN as text") << mutated("state.beta", "NaN") << "state.beta must be a number, not a string";
    QTest::newRow("beta Infinity as text") << mutated("state.beta", "Infinity") << "state.beta must be a number";
    QTest::newRow("beta null") << mutated("state.beta", QJsonValue::Null) << "state.beta must be a number, not null";
    QTest::newRow("beta 1e999") << withRaw("state.beta", "1e999") << "illegal number"; // Qt refuses it as JSON
    QTest::newRow("beta NaN bare") << withRaw("state.beta", "NaN") << "not valid JSON";
    QTest::newRow("w1 huge") << mutated("state.w.w1", 2e6) << "state.w.w1 must be a number in [-1000000, 1000000]";
    QTest::newRow("w2 -1e308") << withRaw("state.w.w2", "-1e308") << "state.w.w2 must be a number in";
    QTest::newRow("latents zero") << mutated("state.latentCount", 0)
                                  << "state.latentCount must be a whole number in [4, 1024], not 0";
    QTest::newRow("latents absurd") << mutated("state.latentCount", 1e12)
                                    << "state.latentCount must be a whole number in";
    QTest::newRow("latents fractional") << mutated("state.latentCount", 48.5)
                                        << "state.latentCount must be a whole number";
    QTest::newRow("resolution absurd") << mutated("state.resolution", 100000)
                                       << "state.resolution must be a whole number in [50, 1000]";
    QTest::newRow("unknown field") << mutated("state.field", "G") << "state.field must be one of";
    QTest::newRow("unknown colour map") << mutated("state.colorMap", "jet") << "state.colorMap must be one of";
    QTest::newRow("zStar beyond 2 pi") << mutated("state.zStar", 7) << "state.zStar must be a number in";
    QTest::newRow("margin negative") << mutated("state.margin", -0.5) << "state.margin must be a number in [0, 100]";
    QTest::newRow("layer as number") << mutated("state.layers.contours", 1)
                                     << "state.layers.contours must be true or false";
    QTest::newRow("no layer") << mutated("state.layers.heatmap", gone) << "state.layers.heatmap is missing";
    QTest::newRow("seed negative") << mutated("state.dataset.seed", -1) << "state.dataset.seed must be a whole number";
    QTest::newRow("seed text") << mutated("state.dataset.seed", "abc")
                               << "state.dataset.seed must be an unsigned 64-bit";
    QTest::newRow("seed 2^64") << mutated("state.dataset.seed", "18446744073709551616") << "state.dataset.seed must be";
    QTest::newRow("data count absurd") << mutated("state.dataset.count", 1e9)
                                       << "state.dataset.count must be a whole number in [1, 2000]";
    QTest::newRow("observation as array")
        << mutated("state.observation", QJsonArray{1, 2}) << "state.observation must be an object, not an array";
    QTest::newRow("observation far") << mutated("state.observation.y2", -1e7)
                                     << "state.observation.y2 must be a number in";
    QTest::newRow("data columns differ") << mutated("data.y1", QJsonArray{1, 2, 3})
                                         << "data.y1 and data.y2 must have the same length (3 and 7)";
    QTest::newRow("data entry text") << mutated("data.y2", QJsonArray{1, 2, 3, "x", 5, 6, 7})
                                     << "data.y2[3] must be a number, not a string";
    QTest::newRow("data entry huge") << withRaw("data.y1", "[0, 0, 1e300, 0, 0, 0, 0]")
                                     << "data.y1[2] must be a number in";
    QTest::newRow("data custom missing") << mutated("data.custom", gone) << "data.custom is missing";
    QTest::newRow("too many points") << withRaw("data.y1", zeros(100001))
                                     << "data.y1 has 100001 entries, more than the 100000";
    QTest::newRow("view inverted") << mutated("view.x1", -3) << "view must have x0 < x1 and y0 < y1";
    QTest::newRow("view missing") << mutated("view", gone) << "view is missing";
    QTest::newRow("training loss unknown") << mutated("training.loss", "l2") << "training.loss must be one of";
    QTest::newRow("training beta Infinity")
        << mutated("training.beta", "Infinity") << "training.beta must be a number in [0.001, 1000] or \"inf\"";
    QTest::newRow("training beta zero") << mutated("training.beta", 0) << "training.beta must be a number in";
    QTest::newRow("training rate zero") << mutated("training.learningRate", 0)
                                        << "training.learningRate must be a number in [0.0001, 10]";
    QTest::newRow("training latents word") << mutated("training.latents", "many")
                                           << "training.latents must be a whole number in [4, 1024] or \"continuous\"";
    QTest::newRow("training negatives absurd")
        << mutated("training.negatives.count", 1e6) << "training.negatives.count must be a whole number in [1, 64]";
    QTest::newRow("training strategy unknown")
        << mutated("training.negatives.strategy", "random") << "training.negatives.strategy must be one of";
    QTest::newRow("training view empty") << mutated("training.view.y1", -1) << "training.view must have x0 < x1";
    QTest::newRow("training init far") << mutated("training.init.w1", 1e9) << "training.init.w1 must be a number in";
    QTest::newRow("trace gap") << mutated("trace.epoch", QJsonArray{})
                               << "trace.epoch, trace.w1, trace.w2 and trace.loss must have the same length";
    QTest::newRow("trace epochs skip") << withRaw("trace.epoch", "[0, 2]") << "trace.epoch";
    QTest::newRow("trace too long") << withRaw("trace.epoch", zeros(1000001))
                                    << "trace.epoch has 1000001 entries, more than the 1000000";
    QTest::newRow("trace w beyond 1e6") << withRaw("trace.w1", "[1e7]") << "trace.w1[0] must be a number in";
    QTest::newRow("lesson as text") << mutated("lesson", "3") << "lesson must be a whole number";
    QTest::newRow("lesson absurd") << mutated("lesson", 1e9) << "lesson must be a whole number in [-1, 1000]";

    Session skipping = everythingChanged();
    skipping.trace[3].epoch = 7;
    QTest::newRow("trace epochs not consecutive") << sessionToJson(skipping) << "trace.epoch[3] must be 3";
}

void TestSession::rejectsBadSessions()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, message);
    QString error = QStringLiteral("unchanged");
    const std::optional<Session> s = sessionFromJson(json, &error);
    QVERIFY(!s);
    QVERIFY2(error.contains(message), qPrintable(QStringLiteral("message: %1\nexpected: %2").arg(error, message)));

    // The same through a file.
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("bad.json"));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(json);
    file.close();
    QString fileError;
    QVERIFY(!readSession(path, &fileError));
    QCOMPARE(fileError, error);
}

void TestSession::oversizedFileIsRefusedUnread()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("huge.json"));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    QVERIFY(file.resize(session::kMaxFileBytes + 1)); // sparse: no disk used
    file.close();
    QString error;
    QVERIFY(!readSession(path, &error));
    QVERIFY2(error.contains(QStringLiteral("is larger than the 128 MB a session may have")), qPrintable(error));
}

void TestSession::missingFileIsAnError()
{
    QString error;
    QVERIFY(!readSession(QStringLiteral("/nonexistent/s.json"), &error));
    QVERIFY2(error.contains(QStringLiteral("cannot open /nonexistent/s.json")), qPrintable(error));
}

void TestSession::failedWriteLeavesNoFile_data()
{
    QTest::addColumn<QString>("directory");
    QTest::addColumn<bool>("chmod");
    QTest::newRow("directory without write permission") << QString() << true;
    QTest::newRow("read-only file system (/proc)") << QStringLiteral("/proc") << false;
}

void TestSession::failedWriteLeavesNoFile()
{
    QFETCH(QString, directory);
    QFETCH(bool, chmod);
    QTemporaryDir temporary;
    if (directory.isEmpty())
        directory = temporary.path();
    if (chmod) {
        QVERIFY(QFile::setPermissions(directory, QFile::ReadOwner | QFile::ExeOwner));
        QFile probe(directory + QStringLiteral("/probe"));
        if (probe.open(QIODevice::WriteOnly)) { // root ignores permissions; the /proc row covers that case
            probe.remove();
            QFile::setPermissions(directory, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
            QSKIP("running as root: directory permissions do not apply");
        }
    }
    const QStringList before = QDir(directory).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot);
    const QString path = directory + QStringLiteral("/ebmlab-session-test.json");
    const QString error = writeSession(path, everythingChanged());
    if (chmod)
        QFile::setPermissions(directory, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    QVERIFY2(error.contains(path), qPrintable(error));
    QVERIFY(!QFile::exists(path));
    QCOMPARE(QDir(directory).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot), before);
}

void TestSession::writesFuzzCorpus()
{
    // EBM_SESSION_CORPUS=dir writes the seeds of tests/fuzz/corpus/session: valid sessions and bad ones.
    const QString dir = qEnvironmentVariable("EBM_SESSION_CORPUS");
    if (dir.isEmpty())
        QSKIP("set EBM_SESSION_CORPUS to write the fuzz corpus");
    QVERIFY(QDir().mkpath(dir));
    const std::pair<const char *, QByteArray> files[] = {
        {"valid-defaults.json", sessionToJson(Session{})},
        {"valid-lecture.json", sessionToJson(lectureSession())},
        {"valid-everything.json", sessionToJson(everythingChanged())},
        {"valid-awkward-numbers.json", sessionToJson(awkwardNumbers())},
        {"bad-truncated.json", sessionToJson(everythingChanged()).left(900)},
        {"bad-future-version.json", mutated("version", 7)},
        {"bad-beta-nan-string.json", mutated("state.beta", "NaN")},
        {"bad-beta-huge.json", withRaw("state.beta", "1e999")},
        {"bad-latents-zero.json", mutated("state.latentCount", 0)},
        {"bad-colormap.json", mutated("state.colorMap", "jet")},
        {"bad-data-lengths.json", mutated("data.y1", QJsonArray{1, 2, 3})},
        {"bad-trace-gap.json", withRaw("trace.epoch", "[0, 2]")},
        {"bad-root-array.json", QByteArray("[1, 2, 3]\n")},
    };
    for (const auto &[name, bytes] : files)
        QCOMPARE(writeFileAtomically(dir + QLatin1Char('/') + QLatin1String(name), bytes), QString());
}

QTEST_GUILESS_MAIN(TestSession)
#include "tst_session.moc"
