// The cross-section panel: F along the section line at the current beta and at the cold, warm and hot references.
#pragma once

#include "math/section.h"

#include <QVector>
#include <QWidget>

#include <vector>

class QCustomPlot;
class QCPGraph;

namespace ebm {

//! The x axis label for a section: "y₂ along y₁ = 0" for a vertical line, "y₁ along y₂ = …" for a horizontal one,
//! else "distance from (a, b)".
QString sectionAxisLabel(const SectionLine &line);

//! The legend text for one curve, e.g. "β = ∞ (cold)", "β = 1 (warm)", "β = 2.5 (current)", "β = 1 (warm, current)".
QString sectionCurveLabel(double beta, bool current);

class SectionPanel : public QWidget
{
    Q_OBJECT
public:
    explicit SectionPanel(QWidget *parent = nullptr);

    //! Shows the profile; `currentBeta` tells which curve is the current temperature (the first curve at that beta).
    //! A reference at the current beta is folded into the current curve: kept for curveValues(), neither drawn nor
    //! listed, and the current curve's label names its role.
    void setProfile(const SectionProfile &profile, double currentBeta, const QString &axisLabel);

    //! The curves of the last profile, one per SectionCurve (for tests).
    int curveCount() const;
    //! The values drawn for curve i, in profile order.
    QVector<double> curveValues(int i) const;
    QCustomPlot *plot() const { return m_plot; }

private:
    QCustomPlot *m_plot;
    std::vector<QCPGraph *> m_graphs; //!< indexed like the profile's curves
    bool m_descending = false;        //!< s decreases along the profile; the graphs hold it sorted ascending
};

} // namespace ebm
