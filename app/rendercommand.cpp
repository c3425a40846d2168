#include "rendercommand.h"

#include "cliargs.h"
#include "commands.h"
#include "familycommand.h"
#include "rendersource.h"
#include "traincommand.h"

#include <QApplication>
#include <QDir>
#include <QFileInfo>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <memory>
#include <ostream>

namespace ebm::cli {

namespace {

constexpr int kMinSide = 64;
constexpr int kMaxSide = 8192; // the panel really has this size on the (offscreen) window
constexpr long long kMaxSamples = 100000;
constexpr long long kMaxFrames = 10000;

// The options that mean what they mean for `ebmlab field`: parsed by field's own parser.
const std::vector<std::string> kFieldOptions = {"field", "beta", "w", "latents", "range", "grid", "z"};

QString qs(const std::string &s)
{
    return QString::fromStdString(s);
}

RenderView parseView(const std::string &name)
{
    if (name == "plane")
        return RenderView::Plane;
    if (name == "latent")
        return RenderView::Latent;
    if (name == "section")
        return RenderView::Section;
    if (name == "training")
        return RenderView::Training;
    if (name == "all")
        return RenderView::All;
    throw CliError("--view must be plane, latent, section, training or all, got \"" + name + "\"");
}

ColorMap parseColorMap(const std::string &name)
{
    if (name == "viridis")
        return ColorMap::Viridis;
    if (name == "cividis")
        return ColorMap::Cividis;
    if (name == "cold-to-hot")
        return ColorMap::ColdToHot;
    throw CliError("--colormap must be viridis, cividis or cold-to-hot, got \"" + name + "\"");
}

QSize parseSize(const std::string &text)
{
    const size_t x = text.find('x');
    if (x == std::string::npos)
        throw CliError("--size expects WIDTHxHEIGHT in pixels, e.g. 1600x1200, got \"" + text + "\"");
    return {int(parseInteger("size", text.substr(0, x), kMinSide, kMaxSide)),
            int(parseInteger("size", text.substr(x + 1), kMinSide, kMaxSide))};
}

bool PlaneLayers::*layerMember(const std::string &name)
{
    static const std::vector<std::pair<std::string, bool PlaneLayers::*>> layers = {
        {"heatmap", &PlaneLayers::heatmap},         {"manifold", &PlaneLayers::manifold},
        {"latents", &PlaneLayers::latents},         {"data", &PlaneLayers::data},
        {"observation", &PlaneLayers::observation}, {"arrows", &PlaneLayers::arrows},
        {"contours", &PlaneLayers::contours},       {"section", &PlaneLayers::section},
        {"margin", &PlaneLayers::marginLevel}};
    for (const auto &[layer, member] : layers) {
        if (layer == name)
            return member;
    }
    throw CliError("unknown layer \"" + name +
                   "\" (layers: heatmap, manifold, latents, data, observation, arrows, contours, section, margin)");
}

void setLayers(PlaneLayers &layers, const std::string &list, bool on)
{
    size_t start = 0;
    for (;;) {
        const size_t comma = list.find(',', start);
        layers.*layerMember(list.substr(start, comma - start)) = on;
        if (comma == std::string::npos)
            break;
        start = comma + 1;
    }
}

void parseSweep(const std::string &text, RenderArgs &a)
{
    const size_t first = text.find(':'), second = text.find(':', first == std::string::npos ? first : first + 1);
    if (first == std::string::npos || second == std::string::npos)
        throw CliError("--sweep-beta expects FROM:TO:COUNT, e.g. 0.01:100:60, got \"" + text + "\"");
    a.sweepFrom = parseNumber("sweep-beta", text.substr(0, first));
    a.sweepTo = parseNumber("sweep-beta", text.substr(first + 1, second - first - 1));
    a.sweepFrames = int(parseInteger("sweep-beta", text.substr(second + 1), 1, kMaxFrames));
    if (!(a.sweepFrom > 0.0 && a.sweepTo > 0.0) || a.sweepFrom > kMaxMagnitude || a.sweepTo > kMaxMagnitude)
        throw CliError("--sweep-beta: both ends of beta must lie in (0, 1e6], got \"" + text + "\"");
}

void checkFramesDirectory(const std::string &path)
{
    const QFileInfo info(QDir::cleanPath(qs(path))); // "dir/" names dir, not a file in it
    if (info.exists()) {
        if (!info.isDir())
            throw CliError("--frames " + path + " is a file, not a directory");
        if (!info.isWritable())
            throw CliError("--frames: the directory " + path + " is not writable");
        return;
    }
    const QFileInfo parent(info.absolutePath());
    if (!parent.isDir())
        throw CliError("--frames: the directory " + parent.filePath().toStdString() + " does not exist");
    if (!parent.isWritable())
        throw CliError("--frames: the directory " + parent.filePath().toStdString() + " is not writable");
}

void checkFigurePath(const std::string &path)
{
    if (path == "-")
        throw CliError("--out: a figure cannot go to standard output; name a .png, .pdf or .svg file");
    const QString suffix = QFileInfo(qs(path)).suffix().toLower();
    if (suffix != QLatin1String("png") && suffix != QLatin1String("pdf") && suffix != QLatin1String("svg"))
        throw CliError("--out " + path + ": unknown format; use a name ending in .png, .pdf or .svg");
    checkWritable(path);
}

//! The model options, through field's own parser: the same names, defaults, limits and messages.
void parseModel(const Options &o, RenderArgs &a)
{
    std::vector<std::string> fieldArgs;
    for (const std::string &name : kFieldOptions) {
        if (o.has(name)) {
            fieldArgs.push_back("--" + name);
            fieldArgs.push_back(o.text(name, ""));
        }
    }
    fieldArgs.insert(fieldArgs.end(), {"--out", "-"});
    const FieldArgs f = parseFieldArgs(fieldArgs);
    LabState &s = a.input.state;
    s.field = f.request.kind;
    s.zeroTemperature = std::isinf(f.request.beta) || o.flag("zero-temperature");
    if (!std::isinf(f.request.beta))
        s.beta = f.request.beta;
    s.w = f.w;
    s.continuousLatent = f.latents.isContinuous();
    if (!s.continuousLatent)
        s.latentCount = f.latents.count();
    s.zStar = f.request.z;
    a.input.view = QRectF(QPointF(f.grid.x0, f.grid.y0), QPointF(f.grid.x1, f.grid.y1));
    if (o.has("grid")) // max(NX, NY) points along the longer side of what the plane shows; the cells stay square
        s.resolution = std::max(f.grid.nx, f.grid.ny) - 1;
}

void parseData(const Options &o, RenderArgs &a)
{
    if (o.has("data")) {
        for (const char *name : {"seed", "n", "noise"}) {
            if (o.has(name))
                throw CliError("--" + std::string(name) + " goes with the generated data, not with --data");
        }
        a.input.data = readData(o.text("data", ""));
        a.input.customData = true;
        return;
    }
    DatasetSpec &d = a.input.state.dataset;
    d.seed = parseSeed("seed", o.text("seed", std::to_string(d.seed)));
    d.count = int(parseInteger("n", o.text("n", std::to_string(d.count)), 1, kMaxSamples));
    if (o.has("noise")) {
        d.noise = parseNumber("noise", o.text("noise", ""));
        if (d.noise < 0.0 || d.noise > kMaxMagnitude)
            throw CliError("--noise must be between 0 and 1e6");
    }
}

// The offscreen platform warns that it cannot pass size hints to a window manager it does not have: true, and
// noise on the standard error of a command whose errors are one line each.
QtMessageHandler g_previousHandler = nullptr;

void quietOffscreenNoise(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    if (message.contains(QLatin1String("propagateSizeHints")))
        return;
    if (g_previousHandler)
        g_previousHandler(type, context, message);
    else
        std::fprintf(stderr, "%s\n", qPrintable(qFormatLogMessage(type, context, message)));
}

} // namespace

RenderArgs parseRenderArgs(const std::vector<std::string> &args)
{
    const ModelChoice model = splitModelOption(args);
    const Options o(model.rest,
                    {"field",   "beta",    "w",      "latents", "range",    "grid",     "z",          "out",
                     "view",    "size",    "dpi",    "y",       "colormap", "data",     "seed",       "n",
                     "noise",   "section", "margin", "show",    "hide",     "caption",  "sweep-beta", "frames",
                     "timeout", "session", "k",      "atoms",   "alpha",    "init-seed"},
                    {"zero-temperature"});
    RenderArgs a;
    const bool modelGiven = model.rest.size() != args.size();
    if (o.has("session"))
        useSession(o, modelGiven, o.text("session", ""), a.input);
    else
        parseModel(o, a);
    LabState &s = a.input.state;
    a.input.what = parseView(o.text("view", "all"));
    a.input.size = parseSize(o.text("size", "1600x1200"));
    a.input.dpi = parseNumber("dpi", o.text("dpi", "96"));
    if (a.input.dpi < 24.0 || a.input.dpi > 2400.0)
        throw CliError("--dpi must be between 24 and 2400");
    if (o.has("y")) {
        const std::vector<double> y = parseList("y", o.text("y", ""), 2);
        if (std::abs(y[0]) > kMaxMagnitude || std::abs(y[1]) > kMaxMagnitude)
            throw CliError("--y must lie within +-1e6");
        s.observation = Vec2(y[0], y[1]);
    }
    if (o.has("colormap"))
        s.colorMap = parseColorMap(o.text("colormap", ""));
    if (o.has("section"))
        s.sectionY1 = parseBounded("section", o.text("section", ""));
    if (o.has("margin")) {
        s.margin = parseNumber("margin", o.text("margin", ""));
        if (s.margin < 0.0 || s.margin > kMaxMagnitude)
            throw CliError("--margin must be between 0 and 1e6");
    }
    if (o.has("show"))
        setLayers(s.layers, o.text("show", ""), true);
    if (o.has("hide"))
        setLayers(s.layers, o.text("hide", ""), false);
    if (!a.input.session) {
        parseData(o, a);
        useFamilyModel(o, model.kind, a.input);
    }
    a.input.timeoutMs = int(parseInteger("timeout", o.text("timeout", "120"), 1, 86400)) * 1000;

    a.sweep = o.has("sweep-beta");
    const std::string caption = o.text("caption", a.sweep ? "on" : "off");
    if (caption != "on" && caption != "off")
        throw CliError("--caption must be on or off, got \"" + caption + "\"");
    a.input.caption = caption == "on";
    if (a.sweep) {
        parseSweep(o.text("sweep-beta", ""), a);
        if (o.has("out"))
            throw CliError("--out names one figure; a sweep writes its frames into --frames DIR");
        if (a.input.what == RenderView::Training)
            throw CliError("--sweep-beta: the training view does not change with beta; choose another --view");
        a.framesDirectory = o.required("frames");
    } else {
        if (o.has("frames"))
            throw CliError("--frames goes with --sweep-beta FROM:TO:COUNT");
        a.out = o.required("out");
    }
    return a;
}

int runRender(const std::vector<std::string> &args, std::ostream &err)
{
    const RenderArgs a = parseRenderArgs(args);
    if (a.sweep)
        checkFramesDirectory(a.framesDirectory);
    else
        checkFigurePath(a.out);

    // The window needs a QApplication; the command line's own never needs a display, whatever DISPLAY says.
    std::unique_ptr<QApplication> application;
    if (!QCoreApplication::instance()) {
        useOffscreenPlatform();
        static int argc = 1;
        static char name[] = "ebmlab";
        static char *argv[] = {name, nullptr};
        g_previousHandler = qInstallMessageHandler(quietOffscreenNoise);
        application = std::make_unique<QApplication>(argc, argv);
        QApplication::setApplicationName(QStringLiteral("EBM Lab"));
        QApplication::setApplicationVersion(QStringLiteral(EBMLAB_VERSION));
    } else if (!qobject_cast<QApplication *>(QCoreApplication::instance())) {
        throw CliError("drawing needs a QApplication, and this process has a non-GUI one");
    }
    const QString error = a.sweep
                              ? renderBetaSweep(a.input, qs(a.framesDirectory), a.sweepFrames, a.sweepFrom, a.sweepTo)
                              : renderFigure(a.input, qs(a.out));
    if (!error.isEmpty()) {
        err << "ebmlab render: " << error.toStdString() << '\n';
        return 2;
    }
    return 0;
}

std::string renderUsage()
{
    return R"(ebmlab render
  Draws what the window shows, without a display (Qt's offscreen platform), and writes it as File > Export does.
  --field, --beta B|inf, --w, --latents N|continuous, --z
                   the model and the field of the heatmap, exactly as for ebmlab field (same defaults)
  --range X0,X1,Y0,Y1
                   the rectangle of the plane shown whole, equal scales (default -3,3,-3,3)
  --grid NXxNY     heatmap resolution: max(NX, NY) points along the longer side of what the plane shows, square
                   cells (default: the window's 300 cells, 301 points)
  --zero-temperature
                   the exact beta = inf switch (the same as --beta inf)
  --y Y1,Y2        the observation y (default 1.2,1.6)
  --section Y1     the section line y1 = Y1 (default 0)
  --margin M       the margin m, drawn as the level F = m with --show margin (default 1)
  --colormap viridis|cividis|cold-to-hot
                   the heatmap's colours (default viridis)
  --show LAYERS, --hide LAYERS
                   comma-separated plane layers to switch on or off: heatmap, manifold, latents, data,
                   observation, arrows, contours, section, margin (default: all but arrows, contours, margin)
  --data FILE      data points from a CSV with header y1,y2, or generated by
  --seed S --n N --noise SIGMA
                   the window's generator (default seed 0, 24 points, noise 0.05)
  --view plane|latent|section|training|all
                   the panel to draw, or the whole window (default all)
  --size WxH       the figure in logical pixels, 64..8192 per side: the panel (or window) is laid out at this
                   size (default 1600x1200; a window smaller than its minimum is scaled to fit)
  --dpi D          PNG pixels per inch, the image has WxH x D/96 pixels; PDF page size (default 96)
  --caption on|off the provenance line under the figure (default off; on for frames)
  --out FILE       the figure: .png, .pdf or .svg (vector: text stays text) (required without a sweep)
  --sweep-beta FROM:TO:COUNT --frames DIR
                   instead of --out: COUNT frames for beta log-spaced from FROM to TO, written as
                   DIR/frame_0001.png, ... (the directory is created; older frames beyond COUNT are removed)
  --timeout S      seconds the model threads may take before the render fails (default 120)
  --session FILE   the lab saved by File > Save Session (model, data, view, training run, lesson) instead of
                   the options above that describe it: with a session only --view, --size, --dpi, --caption,
                   --out, --sweep-beta, --frames and --timeout apply
  --model ellipse|kmeans|sparse
                   the EBM on the plane (default ellipse); kmeans takes --k K (1..200, at most the data points,
                   default 15), sparse --atoms D (1..64, default 8) and --alpha A (0..10, default 0.1); both
                   --init-seed S (default 0): the centroids start at K distinct data points drawn with it, the
                   atoms as its normalised Normal(0, 1) draw (as for ebmlab field --model)
)";
}

} // namespace ebm::cli
