#include "factorgraphpanel.h"

#include "plotstyle.h"

#include <QEvent>
#include <QFontMetricsF>
#include <QPainter>
#include <QPainterPath>

#include <algorithm>
#include <cmath>

namespace ebm {

namespace {

constexpr double kBasePointSize = 10.0;
const QSize kBaseSize(380, 260); // at kBasePointSize: a dock beside the plane

// The app's colours: the observation's orange, the decoded point's pink; boxes tinted by role as on the slides
// (the decoder blue, the costs red) and light in both themes, so their text stays dark.
// The observed node is a lighter tint of the plane's observation orange (#ff9f1c): the exact colour identifies the
// handle in tests/e2e/screenshot.sh, which would otherwise find this disc too.
const QColor kObservedFill(0xff, 0xb5, 0x4d);
const QColor kObservedLine(0xb8, 0x6a, 0x00);
const QColor kDecodedColour(0xe8, 0x17, 0x5d);
const QColor kFunctionFill(0xdc, 0xe8, 0xf7);
const QColor kFunctionLine(0x1b, 0x3a, 0x7a);
const QColor kFactorFill(0xfb, 0xe3, 0xe0);
const QColor kFactorLine(0xa8, 0x32, 0x2a);
const QColor kReduceFill(0xec, 0xe8, 0xf5);
const QColor kReduceLine(0x4a, 0x3d, 0x7a);
const QColor kInkOnLight(0x20, 0x20, 0x28);

QColor mix(const QColor &a, const QColor &b, double t)
{
    return QColor::fromRgbF(float(a.redF() + t * (b.redF() - a.redF())),
                            float(a.greenF() + t * (b.greenF() - a.greenF())),
                            float(a.blueF() + t * (b.blueF() - a.blueF())));
}

QFont scaledFont(QFont f, double factor, bool italic = false, bool bold = false)
{
    f.setPointSizeF(f.pointSizeF() * factor);
    f.setItalic(italic);
    f.setBold(bold);
    return f;
}

bool isVariable(const GraphNode &node)
{
    return node.symbol.size() == 1; // y, z, C, R, E, F, P: math italic; Dec, min, softmin upright
}

//! One node's place and size on the widget.
struct Placed
{
    const GraphNode *node = nullptr;
    QRectF box;
    bool round = false; //!< a circle (variables, E, the output) rather than a box
};

class Painter
{
public:
    //! \a shrink < 1 draws everything smaller, for a widget narrower than its size hint.
    Painter(QWidget *widget, const FactorGraph &graph, double shrink)
        : m_widget(widget)
        , m_graph(graph)
        , m_unit(QFontMetricsF(scaledFont(widget->font(), shrink), widget).height())
        , m_symbolFont(scaledFont(widget->font(), 1.2 * shrink))
        , m_subFont(scaledFont(widget->font(), 0.8 * shrink))
        , m_formulaFont(scaledFont(widget->font(), 0.95 * shrink))
    {
        const QPalette palette = widget->palette();
        m_back = palette.color(QPalette::Base);
        m_ink = palette.color(QPalette::Text);
        m_highlight = termColour(graph.term);
    }

    void paint(QPainter &p);

private:
    QSizeF symbolSize(const GraphNode &node) const;
    void place();
    const Placed *placed(const QString &id) const;
    bool highlighted(const QString &id) const { return m_graph.highlighted.contains(id); }
    static QPointF boundary(const Placed &node, QPointF towards);
    void drawEdge(QPainter &p, const GraphEdge &edge) const;
    void drawNode(QPainter &p, const Placed &node) const;
    void drawSymbol(QPainter &p, const Placed &node, const QColor &ink) const;
    void drawFormula(QPainter &p, const Placed &node) const;

    QWidget *m_widget;
    const FactorGraph &m_graph;
    double m_unit;
    QFont m_symbolFont, m_subFont, m_formulaFont;
    QColor m_back, m_ink, m_highlight;
    QList<Placed> m_placed;
};

QSizeF Painter::symbolSize(const GraphNode &node) const
{
    const QFontMetricsF main(scaledFont(m_symbolFont, 1.0, isVariable(node)), m_widget);
    const QFontMetricsF sub(m_subFont, m_widget);
    double width = main.horizontalAdvance(node.symbol);
    if (!node.subscript.isEmpty())
        width += 0.08 * m_unit + sub.horizontalAdvance(node.subscript);
    return {width, main.height()};
}

void Painter::place()
{
    // The centres sit in the widget inset by a node's half size, so the outer nodes touch no edge.
    const double note = m_graph.note.isEmpty() ? 0.0 : 1.3 * m_unit;
    // Room for the outer nodes and the labels above the top row and below the bottom one; the right column holds
    // the widest box (softmin).
    const QRectF area =
        QRectF(m_widget->rect()).adjusted(1.7 * m_unit, 2.5 * m_unit, -3.0 * m_unit, -2.6 * m_unit - note);
    for (const GraphNode &node : m_graph.nodes) {
        const QPointF c(area.left() + node.at.x() * area.width(), area.top() + node.at.y() * area.height());
        const QSizeF text = symbolSize(node);
        QSizeF size;
        bool round = false;
        switch (node.shape) {
        case GraphShape::Observed:
        case GraphShape::Latent:
        case GraphShape::Sum:
        case GraphShape::Output:
            size = QSizeF(2.2 * m_unit, 2.2 * m_unit);
            round = true;
            break;
        case GraphShape::Factor:
            size = QSizeF(2.0 * m_unit, 2.0 * m_unit);
            break;
        case GraphShape::Function:
        case GraphShape::Reduce:
            size = QSizeF(text.width() + 1.0 * m_unit, 1.9 * m_unit);
            break;
        }
        m_placed.push_back({&node, QRectF(c - QPointF(size.width() / 2, size.height() / 2), size), round});
    }
}

const Placed *Painter::placed(const QString &id) const
{
    for (const Placed &p : m_placed) {
        if (p.node->id == id)
            return &p;
    }
    return nullptr;
}

QPointF Painter::boundary(const Placed &node, QPointF towards)
{
    const QPointF c = node.box.center();
    const QPointF d = towards - c;
    const double length = std::hypot(d.x(), d.y());
    if (length <= 0.0)
        return c;
    if (node.round)
        return c + d * (node.box.width() / 2 / length);
    const double t = std::min(node.box.width() / 2 / std::max(std::abs(d.x()), 1e-9),
                              node.box.height() / 2 / std::max(std::abs(d.y()), 1e-9));
    return c + d * t;
}

void Painter::drawEdge(QPainter &p, const GraphEdge &edge) const
{
    const Placed *from = placed(edge.from), *to = placed(edge.to);
    if (!from || !to)
        return;
    const bool lit = highlighted(edge.from) && highlighted(edge.to);
    const bool faint = from->node->inactive || to->node->inactive;
    QColor colour = lit ? m_highlight : m_ink;
    if (!lit)
        colour.setAlphaF(faint ? 0.3f : 0.7f);
    const QPointF a = boundary(*from, to->box.center()), b = boundary(*to, from->box.center());
    const double width = (lit ? 0.16 : 0.085) * m_unit;
    p.setPen(QPen(colour, width, faint ? Qt::DashLine : Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
    const QPointF d = b - a;
    const double length = std::hypot(d.x(), d.y());
    if (length < 1.0)
        return;
    const QPointF u = d / length, n(-u.y(), u.x());
    const double head = 0.55 * m_unit;
    p.drawLine(a, b - u * head * 0.8);
    // The arrow head: the direction of computation, from the variables towards the field.
    QPainterPath arrow;
    arrow.moveTo(b);
    arrow.lineTo(b - u * head + n * head * 0.38);
    arrow.lineTo(b - u * head - n * head * 0.38);
    arrow.closeSubpath();
    p.setPen(Qt::NoPen);
    p.setBrush(colour);
    p.drawPath(arrow);

    if (!edge.label.isEmpty()) {
        // Beside the middle of the edge, on the side away from the graph's centre line.
        const QPointF mid = (a + b) / 2 + (n.y() > 0 ? -n : n) * 0.75 * m_unit;
        p.setFont(scaledFont(m_symbolFont, 1.0, true));
        p.setPen(kDecodedColour);
        const QRectF r(mid - QPointF(m_unit, m_unit), QSizeF(2 * m_unit, 2 * m_unit));
        p.drawText(r, Qt::AlignCenter, edge.label);
    }
}

void Painter::drawSymbol(QPainter &p, const Placed &node, const QColor &ink) const
{
    const QFont main = scaledFont(m_symbolFont, 1.0, isVariable(*node.node));
    const QFontMetricsF mm(main, m_widget), sm(m_subFont, m_widget);
    const QSizeF size = symbolSize(*node.node);
    const QPointF c = node.box.center();
    const double baseline = c.y() + (mm.ascent() - mm.descent()) / 2;
    double x = c.x() - size.width() / 2;
    p.setPen(ink);
    p.setFont(main);
    p.drawText(QPointF(x, baseline), node.node->symbol);
    if (node.node->subscript.isEmpty())
        return;
    x += mm.horizontalAdvance(node.node->symbol) + 0.08 * m_unit;
    p.setFont(m_subFont);
    p.drawText(QPointF(x, baseline + 0.35 * sm.ascent()), node.node->subscript);
}

void Painter::drawNode(QPainter &p, const Placed &node) const
{
    const GraphNode &n = *node.node;
    QColor fill = m_back, line = m_ink, ink = m_ink;
    switch (n.shape) {
    case GraphShape::Observed:
        fill = kObservedFill, line = kObservedLine, ink = kInkOnLight;
        break;
    case GraphShape::Function:
        fill = kFunctionFill, line = kFunctionLine, ink = kInkOnLight;
        break;
    case GraphShape::Factor:
        fill = kFactorFill, line = kFactorLine, ink = kInkOnLight;
        break;
    case GraphShape::Reduce:
        fill = kReduceFill, line = kReduceLine, ink = kInkOnLight;
        break;
    case GraphShape::Latent:
    case GraphShape::Sum:
    case GraphShape::Output:
        break;
    }
    const bool lit = highlighted(n.id);
    double width = 0.1 * m_unit;
    if (lit) {
        fill = mix(fill, m_highlight, 0.3);
        line = m_highlight;
        width = 0.2 * m_unit;
        if (n.shape == GraphShape::Latent || n.shape == GraphShape::Sum || n.shape == GraphShape::Output)
            ink = m_ink;
    }
    p.save();
    if (n.inactive)
        p.setOpacity(0.4);
    p.setPen(QPen(line, width, n.inactive ? Qt::DashLine : Qt::SolidLine));
    p.setBrush(fill);
    const QRectF box = node.box;
    const double radius = 0.45 * m_unit;
    switch (n.shape) {
    case GraphShape::Observed:
    case GraphShape::Latent:
    case GraphShape::Sum:
        p.drawEllipse(box);
        break;
    case GraphShape::Output: // a double ring: the result
        p.drawEllipse(box);
        p.setBrush(Qt::NoBrush);
        p.setPen(QPen(line, 0.07 * m_unit));
        p.drawEllipse(box.adjusted(0.22 * m_unit, 0.22 * m_unit, -0.22 * m_unit, -0.22 * m_unit));
        break;
    case GraphShape::Factor:
        p.drawRect(box);
        break;
    case GraphShape::Function:
    case GraphShape::Reduce:
        p.drawRoundedRect(box, radius, radius);
        break;
    }
    drawSymbol(p, node, ink);
    drawFormula(p, node);
    p.restore();
}

void Painter::drawFormula(QPainter &p, const Placed &node) const
{
    const GraphNode &n = *node.node;
    if (n.formula.isEmpty())
        return;
    const bool lit = highlighted(n.id);
    const QFont font = m_formulaFont;
    const QFontMetricsF fm(font, m_widget);
    const QStringList lines = n.formula.split(QLatin1Char('\n'));
    double width = 0.0;
    for (const QString &line : lines)
        width = std::max(width, fm.horizontalAdvance(line));
    const QSizeF size(width + 2, fm.height() * lines.size());
    const QRectF box = node.box;
    const double gap = 0.25 * m_unit;
    QPointF topLeft;
    switch (n.side) {
    case LabelSide::Below:
        topLeft = QPointF(box.center().x() - size.width() / 2, box.bottom() + gap);
        break;
    case LabelSide::Above:
        topLeft = QPointF(box.center().x() - size.width() / 2, box.top() - gap - size.height());
        break;
    case LabelSide::Right:
        topLeft = QPointF(box.right() + gap, box.center().y() - size.height() / 2);
        break;
    case LabelSide::BelowRight: // clear of an edge arriving from the lower left
        topLeft = QPointF(box.center().x(), box.bottom() + gap);
        break;
    case LabelSide::Left:
        topLeft = QPointF(box.left() - gap - size.width(), box.center().y() - size.height() / 2);
        break;
    }
    // Kept inside the widget: a long formula at the edge shifts rather than being cut.
    const double margin = 0.35 * m_unit;
    const QRectF bounds = QRectF(m_widget->rect()).adjusted(margin, margin, -margin, -margin);
    topLeft.setX(std::clamp(topLeft.x(), bounds.left(), std::max(bounds.left(), bounds.right() - size.width())));
    topLeft.setY(std::clamp(topLeft.y(), bounds.top(), std::max(bounds.top(), bounds.bottom() - size.height())));
    QColor colour = lit ? m_highlight.darker(125) : m_ink;
    if (!lit)
        colour.setAlphaF(0.85f);
    p.setPen(colour);
    p.setFont(font);
    p.drawText(QRectF(topLeft, size), Qt::AlignCenter, n.formula);
}

void Painter::paint(QPainter &p)
{
    p.setRenderHint(QPainter::Antialiasing);
    p.setRenderHint(QPainter::TextAntialiasing);
    p.fillRect(m_widget->rect(), m_back);
    place();
    for (const GraphEdge &edge : m_graph.edges)
        drawEdge(p, edge);
    for (const Placed &node : m_placed)
        drawNode(p, node);
    if (!m_graph.note.isEmpty()) {
        QColor colour = m_ink;
        colour.setAlphaF(0.7f);
        p.setPen(colour);
        p.setFont(scaledFont(m_formulaFont, 1.0, true));
        p.drawText(QRectF(m_widget->rect()).adjusted(0.5 * m_unit, 0, -0.5 * m_unit, -0.3 * m_unit),
                   Qt::AlignBottom | Qt::AlignLeft, m_graph.note);
    }
}

} // namespace

FactorGraphPanel::FactorGraphPanel(QWidget *parent)
    : QWidget(parent)
{
    // A font of its own size, so presentation mode (plotstyle::scaleWidgetTree) scales the painted text with it.
    setFont(plotstyle::font(int(kBasePointSize)));
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
    rebuild();
}

void FactorGraphPanel::setModel(ModelKind kind)
{
    if (kind == m_model)
        return;
    m_model = kind;
    rebuild();
}

void FactorGraphPanel::setField(FieldKind kind, double beta)
{
    if (kind == m_field && (beta == m_beta || (std::isinf(beta) && std::isinf(m_beta))))
        return;
    m_field = kind;
    m_beta = beta;
    rebuild();
}

void FactorGraphPanel::setZStar(double zStar)
{
    if (zStar == m_zStar)
        return;
    m_zStar = zStar;
    rebuild();
}

void FactorGraphPanel::rebuild()
{
    m_graph = factorGraph(m_model, m_field, m_beta, m_zStar);
    setToolTip(QStringLiteral("E(y, z) = C(y, Dec(z)) + R(z); the highlighted nodes compute the field on the plane"));
    update();
}

QStringList FactorGraphPanel::nodeLabels() const
{
    QStringList labels;
    for (const GraphNode &node : m_graph.nodes) {
        labels << node.name();
        if (!node.formula.isEmpty())
            labels << node.formula;
    }
    for (const GraphEdge &edge : m_graph.edges) {
        if (!edge.label.isEmpty())
            labels << edge.label;
    }
    if (!m_graph.note.isEmpty())
        labels << m_graph.note;
    return labels;
}

QString FactorGraphPanel::highlightedNode() const
{
    return m_graph.highlighted.isEmpty() ? QString() : m_graph.highlighted.first();
}

QSize FactorGraphPanel::sizeHint() const
{
    const double factor = font().pointSizeF() / kBasePointSize;
    return (QSizeF(kBaseSize) * factor).toSize();
}

QSize FactorGraphPanel::minimumSizeHint() const
{
    return sizeHint() * 0.6;
}

void FactorGraphPanel::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    // A dock narrower or lower than the hint (the left column beside the plane) gets the same drawing, smaller,
    // rather than nodes running into each other; never below 70%, where the formulas stop being readable.
    const QSize hint = sizeHint();
    const double shrink =
        std::clamp(std::min(double(width()) / hint.width(), double(height()) / hint.height()), 0.7, 1.0);
    Painter(this, m_graph, shrink).paint(p);
}

void FactorGraphPanel::changeEvent(QEvent *event)
{
    // Presentation mode sets a larger font, a theme a new palette: both redraw, and the font the size hint.
    if (event->type() == QEvent::FontChange)
        updateGeometry();
    if (event->type() == QEvent::FontChange || event->type() == QEvent::PaletteChange)
        update();
    QWidget::changeEvent(event);
}

} // namespace ebm
