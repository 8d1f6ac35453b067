"""The lead funnel (report 05): from first touch to won deal, by channel, segment, team and rep."""
