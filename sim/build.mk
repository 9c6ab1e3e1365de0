# sim: placeholder until the component lands.
.PHONY: sim install-sim uninstall-sim
sim:
install-sim:
uninstall-sim:
