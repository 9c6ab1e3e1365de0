# pam: placeholder until the component lands.
.PHONY: pam install-pam uninstall-pam
pam:
install-pam:
uninstall-pam:
