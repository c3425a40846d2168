#include "labsettings.h"

#include "math/trainer.h"

#include <QSettings>

#include <cmath>

namespace ebm {

namespace {

// A saved number is used only when it is a finite number inside [lo, hi].
double number(const QSettings &s, const char *key, double fallback, double lo, double hi)
{
    bool ok = false;
    const double v = s.value(QLatin1String(key)).toDouble(&ok);
    return ok && std::isfinite(v) && v >= lo && v <= hi ? v : fallback;
}

int whole(const QSettings &s, const char *key, int fallback, int lo, int hi)
{
    bool ok = false;
    const int v = s.value(QLatin1String(key)).toInt(&ok);
    return ok && v >= lo && v <= hi ? v : fallback;
}

bool flag(const QSettings &s, const char *key, bool fallback)
{
    const QVariant v = s.value(QLatin1String(key));
    return v.isValid() ? v.toBool() : fallback;
}

} // namespace

void saveLabState(QSettings &s, const LabState &state)
{
    s.beginGroup(QStringLiteral("lab"));
    s.setValue(QStringLiteral("w1"), state.w.w1);
    s.setValue(QStringLiteral("w2"), state.w.w2);
    s.setValue(QStringLiteral("latentCount"), state.latentCount);
    s.setValue(QStringLiteral("continuousLatent"), state.continuousLatent);
    s.setValue(QStringLiteral("beta"), state.beta);
    s.setValue(QStringLiteral("zeroTemperature"), state.zeroTemperature);
    s.setValue(QStringLiteral("field"), int(state.field));
    s.setValue(QStringLiteral("zStar"), state.zStar);
    s.setValue(QStringLiteral("margin"), state.margin);
    s.setValue(QStringLiteral("resolution"), state.resolution);
    s.setValue(QStringLiteral("colorMap"), int(state.colorMap));
    s.setValue(QStringLiteral("dataSeed"), QString::number(state.dataset.seed));
    s.setValue(QStringLiteral("dataCount"), state.dataset.count);
    s.setValue(QStringLiteral("dataNoise"), state.dataset.noise);
    s.setValue(QStringLiteral("y1"), state.observation.x());
    s.setValue(QStringLiteral("y2"), state.observation.y());
    s.setValue(QStringLiteral("sectionY1"), state.sectionY1);
    s.setValue(QStringLiteral("latentsByPosterior"), state.latentsByPosterior);
    s.setValue(QStringLiteral("arrows"), state.layers.arrows);
    s.setValue(QStringLiteral("contours"), state.layers.contours);
    s.setValue(QStringLiteral("marginLevel"), state.layers.marginLevel);
    s.endGroup();
}

LabState loadLabState(QSettings &s, const LabState &d)
{
    s.beginGroup(QStringLiteral("lab"));
    LabState r = d;
    // Any w the window can hold comes back: a trained one may lie beyond what a person types.
    r.w.w1 = number(s, "w1", d.w.w1, -kDivergenceBound, kDivergenceBound);
    r.w.w2 = number(s, "w2", d.w.w2, -kDivergenceBound, kDivergenceBound);
    r.latentCount = whole(s, "latentCount", d.latentCount, 4, 1024);
    r.continuousLatent = flag(s, "continuousLatent", d.continuousLatent);
    r.beta = number(s, "beta", d.beta, 1e-3, 1e3);
    r.zeroTemperature = flag(s, "zeroTemperature", d.zeroTemperature);
    r.field = static_cast<FieldKind>(whole(s, "field", int(d.field), 0, 3));
    r.zStar = number(s, "zStar", d.zStar, 0.0, 6.2832);
    r.margin = number(s, "margin", d.margin, 0.0, 100.0);
    r.resolution = whole(s, "resolution", d.resolution, 50, 1000);
    r.colorMap = static_cast<ColorMap>(whole(s, "colorMap", int(d.colorMap), 0, 2));
    bool ok = false;
    const qulonglong seed = s.value(QStringLiteral("dataSeed")).toString().toULongLong(&ok);
    r.dataset.seed = ok && seed < 1000000 ? seed : d.dataset.seed;
    r.dataset.count = whole(s, "dataCount", d.dataset.count, 1, 2000);
    r.dataset.noise = number(s, "dataNoise", d.dataset.noise, 0.0, 2.0);
    r.observation = Vec2(number(s, "y1", d.observation.x(), -1e3, 1e3), number(s, "y2", d.observation.y(), -1e3, 1e3));
    r.sectionY1 = number(s, "sectionY1", d.sectionY1, -1e3, 1e3);
    r.latentsByPosterior = flag(s, "latentsByPosterior", d.latentsByPosterior);
    r.layers.arrows = flag(s, "arrows", d.layers.arrows);
    r.layers.contours = flag(s, "contours", d.layers.contours);
    r.layers.marginLevel = flag(s, "marginLevel", d.layers.marginLevel);
    s.endGroup();
    return r;
}

} // namespace ebm
