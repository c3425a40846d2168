// Points with a colour and a size each (QCPGraph has one style for all its points).
#pragma once

#include <qcustomplot.h>

namespace ebm {

class ScatterLayer : public QCPAbstractPlottable
{
    Q_OBJECT
public:
    struct Point
    {
        double x = 0.0;
        double y = 0.0;
        QColor fill;
        double diameter = 8.0; //!< in pixels
    };

    ScatterLayer(QCPAxis *keyAxis, QCPAxis *valueAxis);

    void setPoints(const QVector<Point> &points);
    const QVector<Point> &points() const { return m_points; }
    void setOutline(const QPen &pen) { m_outline = pen; }
    //! Multiplies every diameter when drawing (presentation mode makes markers larger).
    void setScale(double scale) { m_scale = scale; }
    double scale() const { return m_scale; }

    double selectTest(const QPointF &pos, bool onlySelectable, QVariant *details = nullptr) const override;
    QCPRange getKeyRange(bool &foundRange, QCP::SignDomain inSignDomain = QCP::sdBoth) const override;
    QCPRange getValueRange(bool &foundRange, QCP::SignDomain inSignDomain = QCP::sdBoth,
                           const QCPRange &inKeyRange = QCPRange()) const override;

protected:
    void draw(QCPPainter *painter) override;
    void drawLegendIcon(QCPPainter *painter, const QRectF &rect) const override;

private:
    QVector<Point> m_points;
    QPen m_outline{QColor(20, 20, 30), 1.2};
    double m_scale = 1.0;
};

} // namespace ebm
