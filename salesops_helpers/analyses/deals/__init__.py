"""Report 06, deal inspection: a calibrated win probability per open deal, backtested on the company's history."""
