content of templates/sub/deep.tpl
